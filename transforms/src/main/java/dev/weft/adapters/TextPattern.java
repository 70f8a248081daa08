package dev.weft.adapters;

import dev.weft.model.FailureKind;
import dev.weft.model.TimeQuality;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One plain-text log format, as data: a regex with named groups, how to read the event time from
 * some of the groups, and what the other groups mean. Built (and validated) by {@link
 * TextPatterns} from YAML, or directly with {@link #TextPattern}; a bad regex, a mapping that
 * names a group the regex lacks, or a bad layout fail at construction with the problem named.
 *
 * <p>Time: the {@code timeGroups} are joined with single spaces and parsed with the first of
 * {@code layouts} ({@link DateTimeFormatter} patterns, English month and day names,
 * case-insensitive) that fits. A layout with an offset or zone wins over {@code zone}. A layout
 * without a year needs {@code year}: {@code observed} (the year that puts the time nearest the
 * record's observed time, DERIVED) or a fixed year such as {@code 2005} (DERIVED); a layout with a
 * year gives SOURCE times.
 *
 * <p>Fields map a group to {@code body}, {@code severity}, {@code trace_id}, {@code span_id},
 * {@code signal:NAME}, {@code attribute:NAME}, or a bare NAME (a signal when it is a known
 * OpenTelemetry identity name such as {@code host.name}, {@code service.name}, {@code
 * process.pid}; an attribute otherwise). A {@code host.name} value that is an IP literal becomes
 * {@code host.ip}. Named groups that are neither time groups nor mapped become attributes under
 * their group name. With no group mapped to {@code body}, the body is the whole line.
 */
public final class TextPattern implements Serializable {
  private static final long serialVersionUID = 1L;

  /** OpenTelemetry names that are identity signals when a field maps to them without a prefix. */
  static final Set<String> KNOWN_SIGNALS = Set.of("service.name", "service.namespace",
      "service.instance.id", "host.name", "host.id", "host.ip", "process.pid", "k8s.pod.uid",
      "k8s.pod.name", "k8s.namespace.name", "k8s.container.name", "k8s.node.name",
      "k8s.deployment.name", "container.id", "container.name", "net.peer.name", "server.address",
      "enduser.id", "cloud.resource_id");
  private static final Pattern GROUP_NAME =
      Pattern.compile("(?<!\\\\)\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  /** What a group becomes. */
  public enum Target { BODY, SEVERITY, TRACE_ID, SPAN_ID, SIGNAL, ATTRIBUTE }

  /** A group and what it maps to; {@code name} is the signal or attribute name, else null. */
  public record Field(String group, Target target, String name) implements Serializable {}

  private final String name;
  private final String regex;
  private final List<String> timeGroups;
  private final List<String> layouts;
  private final String zone;
  private final String year;
  private final List<Field> fields;
  private transient Compiled compiled;

  /**
   * @param year {@code null} when every layout has a year, {@code "observed"} or a year number
   * @param fields group to target, as written in the YAML ({@code severity}, {@code
   *     signal:host.name}, {@code code.namespace}, ...), in order
   * @throws IllegalArgumentException naming the problem
   */
  public TextPattern(String name, String regex, List<String> timeGroups, List<String> layouts,
      String zone, String year, Map<String, String> fields) {
    this.name = require(name, "name");
    this.regex = require(regex, "regex");
    this.timeGroups = List.copyOf(timeGroups);
    this.layouts = List.copyOf(layouts);
    this.zone = zone == null ? "UTC" : zone;
    this.year = year;
    List<Field> f = new ArrayList<>();
    fields.forEach((group, target) -> f.add(field(group, target)));
    this.fields = Collections.unmodifiableList(f);
    this.compiled = compile();
  }

  private static String require(String v, String what) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("'" + what + "' is missing");
    }
    return v;
  }

  private static Field field(String group, String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("field '" + group + "' has no target");
    }
    switch (target) {
      case "body":
        return new Field(group, Target.BODY, null);
      case "severity":
        return new Field(group, Target.SEVERITY, null);
      case "trace_id":
        return new Field(group, Target.TRACE_ID, null);
      case "span_id":
        return new Field(group, Target.SPAN_ID, null);
      default:
        break;
    }
    if (target.startsWith("signal:")) {
      return new Field(group, Target.SIGNAL, nonEmpty(target.substring(7), group));
    }
    if (target.startsWith("attribute:")) {
      return new Field(group, Target.ATTRIBUTE, nonEmpty(target.substring(10), group));
    }
    if (target.contains(":") || target.contains(" ")) {
      throw new IllegalArgumentException("field '" + group + "': target '" + target + "' is not"
          + " body, severity, trace_id, span_id, signal:NAME, attribute:NAME or a bare NAME");
    }
    return new Field(group, KNOWN_SIGNALS.contains(target) ? Target.SIGNAL : Target.ATTRIBUTE,
        target);
  }

  private static String nonEmpty(String s, String group) {
    if (s.isBlank()) {
      throw new IllegalArgumentException("field '" + group + "': the target name is empty");
    }
    return s;
  }

  public String name() {
    return name;
  }

  public String regex() {
    return regex;
  }

  public List<String> timeGroups() {
    return timeGroups;
  }

  public List<String> layouts() {
    return layouts;
  }

  public String zone() {
    return zone;
  }

  public List<Field> fields() {
    return fields;
  }

  Compiled compiled() {
    if (compiled == null) {
      compiled = compile();
    }
    return compiled;
  }

  /** The regex, formatters and lookups, built once per pattern (and again after deserializing). */
  static final class Compiled {
    final Pattern pattern;
    final String[] timeGroups;
    final DateTimeFormatter[] formatters;
    final boolean[] hasYear;
    final ZoneId zone;
    final boolean observedYear;
    final int fixedYear;
    final List<Field> fields;

    private Compiled(Pattern pattern, String[] timeGroups, DateTimeFormatter[] formatters,
        boolean[] hasYear, ZoneId zone, boolean observedYear, int fixedYear, List<Field> fields) {
      this.pattern = pattern;
      this.timeGroups = timeGroups;
      this.formatters = formatters;
      this.hasYear = hasYear;
      this.zone = zone;
      this.observedYear = observedYear;
      this.fixedYear = fixedYear;
      this.fields = fields;
    }

    /** The time from the matched groups, or a rejection naming the pattern and the text. */
    LogTimes.Time time(Matcher m, Instant observed, String patternName) throws RecordRejected {
      String text;
      if (timeGroups.length == 1) {
        text = m.group(timeGroups[0]);
      } else {
        StringBuilder s = new StringBuilder();
        for (String g : timeGroups) {
          String v = m.group(g);
          if (v != null) {
            if (s.length() > 0) {
              s.append(' ');
            }
            s.append(v);
          }
        }
        text = s.toString();
      }
      if (text == null || text.isEmpty()) {
        throw new RecordRejected(FailureKind.MISSING_FIELD, "text pattern '" + patternName
            + "': the time groups matched nothing");
      }
      DateTimeException last = null;
      for (int i = 0; i < formatters.length; i++) {
        try {
          return resolve(formatters[i].parse(text), hasYear[i], observed);
        } catch (DateTimeException e) {
          last = e;
        }
      }
      throw new RecordRejected(FailureKind.INVALID_VALUE, "text pattern '" + patternName
          + "': time '" + text + "' fits no layout (" + (last instanceof DateTimeParseException
          ? last.getMessage() : String.valueOf(last)) + ")");
    }

    private LogTimes.Time resolve(TemporalAccessor t, boolean withYear, Instant observed) {
      ZoneId z = t.query(TemporalQueries.zone());
      ZoneId at = z != null ? z : zone;
      LocalTime time = t.query(TemporalQueries.localTime());
      LocalTime tod = time == null ? LocalTime.MIDNIGHT : time;
      if (withYear) {
        LocalDate date = t.query(TemporalQueries.localDate());
        if (date == null) {
          throw new DateTimeException("the layout gave no complete date");
        }
        return new LogTimes.Time(ZonedDateTime.of(date, tod, at).toInstant(),
            TimeQuality.SOURCE);
      }
      int month = t.get(ChronoField.MONTH_OF_YEAR);
      int day = t.get(ChronoField.DAY_OF_MONTH);
      if (!observedYear) {
        return new LogTimes.Time(ZonedDateTime.of(LocalDate.of(fixedYear, month, day), tod, at)
            .toInstant(), TimeQuality.DERIVED);
      }
      int y = observed.atZone(at).getYear();
      Instant best = null;
      for (int year = y - 1; year <= y + 1; year++) {
        try {
          Instant c = ZonedDateTime.of(LocalDateTime.of(LocalDate.of(year, month, day), tod), at)
              .toInstant();
          if (best == null || Math.abs(c.getEpochSecond() - observed.getEpochSecond())
              < Math.abs(best.getEpochSecond() - observed.getEpochSecond())) {
            best = c;
          }
        } catch (DateTimeException e) {
          // Feb 29 does not exist in that candidate year; the others remain.
        }
      }
      if (best == null) {
        throw new DateTimeException("month " + month + " has no day " + day);
      }
      return new LogTimes.Time(best, TimeQuality.DERIVED);
    }
  }

  /** A named-group opening, {@code (?<name>}, whatever characters the name has. */
  private static final Pattern ANY_GROUP_NAME = Pattern.compile("(?<!\\\\)\\(\\?<(?![=!])([^>]*)>");

  /**
   * Java's regex names groups with ASCII letters and digits only, starting with a letter; it
   * reports {@code (?<trace_id>...)} as "named capturing group is missing trailing '>'", which
   * does not say what to change.
   */
  static void checkGroupNames(String regex) {
    Matcher m = ANY_GROUP_NAME.matcher(regex);
    while (m.find()) {
      String name = m.group(1);
      if (!name.matches("[a-zA-Z][a-zA-Z0-9]*")) {
        String fixed = name.replaceAll("[^a-zA-Z0-9]", "");
        throw new IllegalArgumentException("regex group name '" + name + "' is not allowed: Java"
            + " regex group names are ASCII letters and digits only, starting with a letter (no"
            + " '_', '-', '.' or spaces). Rename the group, e.g. (?<" + (fixed.isEmpty()
            || !Character.isLetter(fixed.charAt(0)) ? "g" + fixed : fixed) + ">...), and map it"
            + " under fields to any target name, e.g. " + (fixed.isEmpty() ? "g" : fixed) + ": "
            + name);
      }
    }
  }

  private Compiled compile() {
    checkGroupNames(regex);
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad regex: " + e.getDescription() + " near index "
          + e.getIndex() + " of " + regex);
    }
    Set<String> groups = new LinkedHashSet<>();
    Matcher g = GROUP_NAME.matcher(regex);
    while (g.find()) {
      groups.add(g.group(1));
    }
    if (timeGroups.isEmpty()) {
      throw new IllegalArgumentException("'time.groups' is empty: name the group(s) holding the"
          + " event time");
    }
    for (String t : timeGroups) {
      if (!groups.contains(t)) {
        throw new IllegalArgumentException("time group '" + t + "' is not a named group of the"
            + " regex (groups: " + groups + ")");
      }
    }
    Map<String, Field> byGroup = new LinkedHashMap<>();
    for (Field f : fields) {
      if (!groups.contains(f.group())) {
        throw new IllegalArgumentException("field '" + f.group() + "' is not a named group of"
            + " the regex (groups: " + groups + ")");
      }
      byGroup.put(f.group(), f);
    }
    List<Field> all = new ArrayList<>(fields);
    for (String group : groups) {
      if (!byGroup.containsKey(group) && !timeGroups.contains(group)) {
        all.add(new Field(group, Target.ATTRIBUTE, group));
      }
    }
    ZoneId z;
    try {
      z = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("bad zone '" + zone + "': " + e.getMessage());
    }
    if (layouts.isEmpty()) {
      throw new IllegalArgumentException("'time.layouts' is empty");
    }
    DateTimeFormatter[] formatters = new DateTimeFormatter[layouts.size()];
    boolean[] hasYear = new boolean[layouts.size()];
    boolean anyWithoutYear = false;
    ZonedDateTime probe = ZonedDateTime.of(2001, 11, 23, 14, 5, 6, 789_000_000, ZoneOffset.UTC);
    for (int i = 0; i < formatters.length; i++) {
      String layout = layouts.get(i);
      try {
        formatters[i] = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern(layout).toFormatter(Locale.ENGLISH);
        TemporalAccessor back = formatters[i].parse(formatters[i].format(probe));
        hasYear[i] = back.isSupported(ChronoField.YEAR)
            || back.isSupported(ChronoField.YEAR_OF_ERA);
        boolean hasDay = back.isSupported(ChronoField.EPOCH_DAY)
            || (back.isSupported(ChronoField.MONTH_OF_YEAR)
                && back.isSupported(ChronoField.DAY_OF_MONTH));
        if (!hasDay) {
          throw new IllegalArgumentException("bad layout '" + layout + "': it has no month and"
              + " day of month");
        }
      } catch (IllegalArgumentException | DateTimeException e) {
        throw new IllegalArgumentException(e.getMessage().startsWith("bad layout") ? e.getMessage()
            : "bad layout '" + layout + "': " + e.getMessage());
      }
      anyWithoutYear |= !hasYear[i];
    }
    boolean observedYear = false;
    int fixedYear = 0;
    if (anyWithoutYear) {
      if (year == null) {
        throw new IllegalArgumentException("a layout has no year: set 'time.year' to 'observed'"
            + " (nearest the observed time) or to a fixed year");
      }
      if (year.equals("observed")) {
        observedYear = true;
      } else {
        try {
          fixedYear = Integer.parseInt(year);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'time.year' is '" + year + "': expected 'observed'"
              + " or a year number");
        }
      }
    }
    return new Compiled(p, timeGroups.toArray(new String[0]), formatters, hasYear, z,
        observedYear, fixedYear, Collections.unmodifiableList(all));
  }

  @Override
  public String toString() {
    return "TextPattern(" + name + ")";
  }
}
