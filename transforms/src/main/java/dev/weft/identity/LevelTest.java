package dev.weft.identity;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.codec.language.Soundex;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The test of one comparison level, named in the policy file by its key ({@code jaro-winkler:
 * 0.92}). String similarity and phonetic codes come from Apache Commons Text and Commons Codec;
 * Weft only chooses the thresholds. Every test is symmetric.
 */
public enum LevelTest {
  /** The two values are equal (after the signal's normalizers). Parameter unused. */
  EXACT("exact", false),
  /** Jaro–Winkler similarity at or above the parameter (0..1): typos near the end of names. */
  JARO_WINKLER("jaro-winkler", true),
  /** Levenshtein edit distance at most the parameter (a whole number). */
  LEVENSHTEIN("levenshtein", true),
  /** Jaccard similarity of the blank-separated word sets at or above the parameter: word order. */
  TOKEN_SET("token-set", true),
  /** Both numbers, differing by at most the parameter. */
  NUMERIC("numeric-within", true),
  /** Both dates (yyyymmdd or yyyy-mm-dd), at most the parameter days apart. */
  DATE_DAYS("date-within-days", true),
  /** Both dates, the same once day and month are swapped (a date typed the other way round). */
  DATE_TRANSPOSED("date-transposed", false),
  /** The same Soundex code (Commons Codec). */
  SOUNDEX("soundex", false),
  /** The same Double Metaphone code (Commons Codec): names that sound alike. */
  DOUBLE_METAPHONE("double-metaphone", false),
  /** Always: the level of "both present, nothing above matched", usually negative. */
  ELSE("else", false);

  private static final JaroWinklerSimilarity JARO_WINKLER_SIMILARITY = new JaroWinklerSimilarity();

  private final String policyName;
  private final boolean takesParameter;

  LevelTest(String policyName, boolean takesParameter) {
    this.policyName = policyName;
    this.takesParameter = takesParameter;
  }

  public String policyName() {
    return policyName;
  }

  /** True when the policy must give a number (a threshold); false for {@code exact: true}. */
  public boolean takesParameter() {
    return takesParameter;
  }

  public static Optional<LevelTest> byPolicyName(String name) {
    return Arrays.stream(values()).filter(t -> t.policyName.equals(name)).findFirst();
  }

  String label(double parameter) {
    if (!takesParameter) {
      return policyName;
    }
    String p = parameter == Math.rint(parameter) ? String.valueOf((long) parameter)
        : String.valueOf(parameter);
    return switch (this) {
      case JARO_WINKLER, TOKEN_SET -> policyName + ">=" + p;
      default -> policyName + "<=" + p;
    };
  }

  /** Whether {@code a} and {@code b} satisfy this test. */
  public boolean matches(String a, String b, double parameter) {
    return switch (this) {
      case EXACT -> a.equals(b);
      case JARO_WINKLER -> JARO_WINKLER_SIMILARITY.apply(a, b) >= parameter;
      case LEVENSHTEIN -> {
        int d = new LevenshteinDistance((int) parameter).apply(a, b);
        yield d >= 0 && d <= parameter;
      }
      case TOKEN_SET -> tokenJaccard(a, b) >= parameter;
      case NUMERIC -> number(a).flatMap(x -> number(b).map(y -> Math.abs(x - y) <= parameter))
          .orElse(false);
      case DATE_DAYS -> date(a).flatMap(x -> date(b)
          .map(y -> Math.abs(ChronoUnit.DAYS.between(x, y)) <= parameter)).orElse(false);
      case DATE_TRANSPOSED -> date(a).flatMap(x -> date(b).map(y -> transposed(x, y)))
          .orElse(false);
      case SOUNDEX -> phonetic(a, b, true);
      case DOUBLE_METAPHONE -> phonetic(a, b, false);
      case ELSE -> true;
    };
  }

  private static double tokenJaccard(String a, String b) {
    Set<String> x = tokens(a);
    Set<String> y = tokens(b);
    if (x.isEmpty() && y.isEmpty()) {
      return 1.0;
    }
    Set<String> union = new HashSet<>(x);
    union.addAll(y);
    x.retainAll(y);
    return (double) x.size() / union.size();
  }

  private static Set<String> tokens(String s) {
    Set<String> out = new HashSet<>();
    for (String t : s.toLowerCase(Locale.ROOT).split("[\\s,;]+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  private static Optional<Double> number(String s) {
    try {
      return Optional.of(Double.parseDouble(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A date as yyyymmdd (digits only) or ISO yyyy-mm-dd; anything else is not a date. */
  static Optional<LocalDate> date(String s) {
    String d = s.strip();
    try {
      if (d.matches("\\d{8}")) {
        return Optional.of(LocalDate.of(Integer.parseInt(d.substring(0, 4)),
            Integer.parseInt(d.substring(4, 6)), Integer.parseInt(d.substring(6, 8))));
      }
      return Optional.of(LocalDate.parse(d));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  private static boolean transposed(LocalDate x, LocalDate y) {
    return x.getYear() == y.getYear() && x.getMonthValue() == y.getDayOfMonth()
        && x.getDayOfMonth() == y.getMonthValue();
  }

  private static boolean phonetic(String a, String b, boolean soundex) {
    try {
      if (soundex) {
        Soundex s = new Soundex();
        String x = s.soundex(a);
        return !x.isEmpty() && x.equals(s.soundex(b));
      }
      DoubleMetaphone m = new DoubleMetaphone();
      String x = m.doubleMetaphone(a);
      return x != null && !x.isEmpty() && m.isDoubleMetaphoneEqual(a, b);
    } catch (IllegalArgumentException e) {
      // Characters the encoders cannot map: no phonetic evidence.
      return false;
    }
  }
}
