package dev.weft.testing;

import dev.weft.adapters.DeadLetters;
import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.DeadLetter;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.Severity;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanModel;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded, deterministic records of every output kind with what a renderer can get wrong: strings
 * with quotes, backslashes, control characters, U+2028, non-BMP characters and lone surrogates;
 * empty strings in optionals; every optional present or absent; extreme numbers (negative,
 * {@code Long.MIN_VALUE}, NaN and infinite confidences); instants before 1970, with nanoseconds and
 * beyond year 9999; dead letters from random bytes (invalid UTF-8 becomes base64) and truncated
 * payloads. The same seed gives the same records.
 */
public final class VariedRecords {
  private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\u0000", "\u0001",
      "\n", "\r", "\t", "\u001f", "\u007f", "\u0080", "\u00e9", "\u4e2d", "\u2028", "\u2029",
      "\ud83d\ude00", "\ud800", "\udfff", "<", "&", "'", "{", "}", ":", ",", "service.name",
      "k8s.pod.uid", "\ufeff", "\uffff"};

  private final Random rnd;

  public VariedRecords(long seed) {
    this.rnd = new Random(seed);
  }

  /** A string of 0..{@code max} pieces; hostile characters mixed with ordinary ones. */
  public String text(int max) {
    int n = rnd.nextInt(max + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(rnd.nextInt(3) == 0 ? PIECES[rnd.nextInt(PIECES.length)]
          : String.valueOf((char) ('a' + rnd.nextInt(26))));
    }
    return b.toString();
  }

  private String nonEmpty(int max) {
    String s = text(max);
    return s.isEmpty() ? "x" : s;
  }

  private Optional<String> optText() {
    return rnd.nextBoolean() ? Optional.empty() : Optional.of(text(8));
  }

  private long number() {
    switch (rnd.nextInt(6)) {
      case 0: return Long.MIN_VALUE;
      case 1: return Long.MAX_VALUE;
      case 2: return -rnd.nextInt(1000);
      case 3: return 0;
      default: return rnd.nextLong() >>> rnd.nextInt(64);
    }
  }

  private Optional<Long> optNumber() {
    return rnd.nextBoolean() ? Optional.empty() : Optional.of(number());
  }

  public Instant instant() {
    switch (rnd.nextInt(5)) {
      case 0: return Instant.ofEpochSecond(-rnd.nextInt(1_000_000_000), rnd.nextInt(1_000_000_000));
      case 1: return Instant.parse("+10000-01-01T00:00:00Z").plusNanos(rnd.nextInt(1000));
      case 2: return Instant.ofEpochMilli(1_700_000_000_000L + rnd.nextInt(1_000_000));
      case 3: return Instant.EPOCH;
      default: return Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(100_000_000),
          rnd.nextInt(1_000_000_000));
    }
  }

  private TreeMap<String, String> map(int max) {
    TreeMap<String, String> m = new TreeMap<>();
    int n = rnd.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      m.put(text(6), text(10));
    }
    return m;
  }

  private <T> T pick(T[] values) {
    return values[rnd.nextInt(values.length)];
  }

  public Origin origin() {
    return new Origin(nonEmpty(4), nonEmpty(12), optNumber(), optNumber(),
        rnd.nextBoolean() ? Optional.empty() : Optional.of(rnd.nextInt()), optNumber(),
        optText());
  }

  public Event event() {
    Optional<SpanPart> span = Optional.empty();
    Optional<LogPart> log = Optional.empty();
    Optional<ConfigPart> config = Optional.empty();
    int parts = rnd.nextInt(5);
    if (parts == 1 || parts == 4) {
      span = Optional.of(new SpanPart(nonEmpty(8), nonEmpty(8), optText(), optText(),
          pick(SpanKind.values()), optText(), optNumber(), pick(StatusCode.values()), optText(),
          optText(), rnd.nextBoolean(), pick(SpanModel.values())));
    }
    if (parts == 2 || parts == 4) {
      log = Optional.of(new LogPart(pick(Severity.values()),
          rnd.nextBoolean() ? Optional.empty() : Optional.of(rnd.nextInt()), optText(),
          optText(), optText(), optText()));
    }
    if (parts == 3 || parts == 4) {
      List<Reference> refs = new ArrayList<>();
      for (int i = rnd.nextInt(3); i > 0; i--) {
        refs.add(new Reference(nonEmpty(5), nonEmpty(5), nonEmpty(5), optText(), optText()));
      }
      config = Optional.of(new ConfigPart(nonEmpty(6), optText(), pick(ConfigOperation.values()),
          optText(), optText(), nonEmpty(6), optText(), optText(), map(3),
          rnd.nextBoolean() ? new TreeMap<>() : map(2), refs));
    }
    return new Event(nonEmpty(16), pick(IdKind.values()), origin(), pick(EventKind.values()),
        optText(), instant(), pick(TimeQuality.values()), instant(), map(4), map(4), span, log,
        config);
  }

  /** A dead letter made the way Normalize makes one: bounded payload, base64 when not UTF-8. */
  public DeadLetter deadLetter() {
    byte[] raw;
    switch (rnd.nextInt(3)) {
      case 0:
        raw = new byte[rnd.nextInt(64)];
        rnd.nextBytes(raw);
        break;
      case 1:
        raw = text(20).getBytes(StandardCharsets.UTF_8);
        break;
      default:
        byte[] t = text(20).getBytes(StandardCharsets.UTF_8);
        raw = java.util.Arrays.copyOf(t, t.length + 2);
        raw[t.length] = (byte) 0xc3; // a cut two-byte sequence, then an invalid lead byte
        raw[t.length + 1] = (byte) 0xff;
        break;
    }
    int max = 1 + rnd.nextInt(80);
    return DeadLetters.of(nonEmpty(6), pick(FailureKind.values()), nonEmpty(30), origin(), raw,
        raw.length + rnd.nextInt(3), instant(), max);
  }

  public Binding binding() {
    List<String> candidates = new ArrayList<>();
    for (int i = rnd.nextInt(3); i > 0; i--) {
      candidates.add(text(6));
    }
    double[] special = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-300, 0.1 + 0.2, 1.0, 0.0};
    double confidence = rnd.nextInt(4) == 0 ? special[rnd.nextInt(special.length)]
        : rnd.nextDouble();
    return new Binding(nonEmpty(16), instant(), nonEmpty(6), nonEmpty(12), pick(Decision.values()),
        optText(), map(4), confidence, candidates, optText(), rnd.nextInt(5) == 0 ? rnd.nextInt()
        : rnd.nextInt(4));
  }

  /** A shed record's arguments beside its event. */
  public long windowStart() {
    return rnd.nextBoolean() ? rnd.nextLong() % 253_402_300_799_000L : rnd.nextInt();
  }

  public long budget() {
    return number();
  }
}
