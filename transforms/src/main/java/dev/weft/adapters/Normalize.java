package dev.weft.adapters;

import dev.weft.model.RawRecord;
import dev.weft.model.DeadLetter;
import dev.weft.model.DeadLetterCoder;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.FailureKind;
import dev.weft.progress.LiveCounts;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Wraps any {@link SourceAdapter}: raw records in; canonical events (main output, timestamped with
 * their event time) and dead letters (one per failure, with the bounded raw payload, origin,
 * adapter, error class and reason) out. Nothing is lost: every record the adapter finds is counted
 * as {@code read} and ends as exactly one {@code normalized} event, one {@code deadLettered}
 * letter or, when the source's configuration deliberately takes only some records (an inventory
 * mapping's {@code where}), one {@code filtered} count; an oversize input unit is dead-lettered
 * unparsed, an adapter that throws is dead-lettered as {@link FailureKind#ADAPTER_BUG}.
 *
 * <p>Counters, in namespace {@code weft.source.<sourceName>}: {@code units} (raw records),
 * {@code read}, {@code normalized}, {@code deadLettered}, {@code filtered}.
 */
public class Normalize extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  public static final TupleTag<Event> EVENTS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final SourceAdapter adapter;
  private final String sourceName;
  private final int maxPayloadBytes;
  private final Duration allowedTimestampSkew;
  private String progressRunId;

  /**
   * @param sourceName names the counters; one per configured input
   * @param maxPayloadBytes at most this many raw bytes are kept in a dead letter
   * @param allowedTimestampSkew how far before its input's timestamp an event may be stamped (zero
   *     for files, whose records carry the minimum timestamp; the lateness bound for a broker
   *     whose records carry their append time)
   */
  public Normalize(SourceAdapter adapter, String sourceName, int maxPayloadBytes,
      Duration allowedTimestampSkew) {
    this.adapter = adapter;
    this.sourceName = sourceName;
    this.maxPayloadBytes = maxPayloadBytes;
    this.allowedTimestampSkew = allowedTimestampSkew;
  }

  public Normalize(SourceAdapter adapter, String sourceName, int maxPayloadBytes) {
    this(adapter, sourceName, maxPayloadBytes, Duration.ZERO);
  }

  /** The same transform, also counting into the run's {@link LiveCounts} for live progress. */
  public Normalize withProgress(String runId) {
    Normalize copy = new Normalize(adapter, sourceName, maxPayloadBytes, allowedTimestampSkew);
    copy.progressRunId = runId;
    return copy;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> input) {
    PCollectionTuple out = input.apply("Parse " + adapter.format(),
        ParDo.of(new NormalizeFn(adapter, sourceName, maxPayloadBytes, allowedTimestampSkew,
            progressRunId))
            .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    out.get(EVENTS).setCoder(EventCoder.of());
    out.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of());
    return out;
  }

  /** The counter namespace of a source, for the run summary. */
  public static String counterNamespace(String sourceName) {
    return "weft.source." + sourceName;
  }

  static final class NormalizeFn extends DoFn<RawRecord, Event> {
    private final SourceAdapter adapter;
    private final int maxPayloadBytes;
    private final Duration allowedTimestampSkew;
    private final Counter units;
    private final Counter read;
    private final Counter normalized;
    private final Counter deadLettered;
    private final Counter filtered;
    private final Counter stampedAtArrival;
    /** Null: no live progress. */
    private final String progressRunId;
    private transient LiveCounts live;

    NormalizeFn(SourceAdapter adapter, String sourceName, int maxPayloadBytes,
        Duration allowedTimestampSkew) {
      this(adapter, sourceName, maxPayloadBytes, allowedTimestampSkew, null);
    }

    NormalizeFn(SourceAdapter adapter, String sourceName, int maxPayloadBytes,
        Duration allowedTimestampSkew, String progressRunId) {
      this.progressRunId = progressRunId;
      this.adapter = adapter;
      this.maxPayloadBytes = maxPayloadBytes;
      this.allowedTimestampSkew = allowedTimestampSkew;
      String ns = counterNamespace(sourceName);
      this.units = Metrics.counter(ns, "units");
      this.read = Metrics.counter(ns, "read");
      this.normalized = Metrics.counter(ns, "normalized");
      this.deadLettered = Metrics.counter(ns, "deadLettered");
      this.filtered = Metrics.counter(ns, "filtered");
      this.stampedAtArrival = Metrics.counter(ns, "stampedAtArrival");
    }

    @Setup
    public void setup() {
      live = LiveCounts.orNull(progressRunId);
    }

    @ProcessElement
    public void process(@Element RawRecord raw, @Timestamp Instant inputTime,
        MultiOutputReceiver out) {
      units.inc();
      if (raw.isOversize()) {
        deadLetter(out, FailureKind.TOO_LARGE,
            "the record is " + raw.totalSize() + " bytes, over the reader's maximum record size;"
                + " it was not parsed, and only its first " + raw.payload().length
                + " bytes are kept",
            raw, raw.payload());
        return;
      }
      AdapterResult result;
      try {
        result = adapter.parse(raw);
      } catch (RuntimeException | StackOverflowError e) {
        // A bug in an adapter must not stop the pipeline or lose the record.
        deadLetter(out, FailureKind.ADAPTER_BUG, "adapter " + adapter.format() + " threw "
            + e.getClass().getName() + ": " + e.getMessage(), raw, raw.payload());
        return;
      }
      for (Event e : result.events()) {
        read.inc();
        normalized.inc();
        Instant t = new Instant(e.eventTime().toEpochMilli());
        if (live != null) {
          live.countNormalized(t.getMillis());
        }
        if (t.isBefore(inputTime.minus(allowedTimestampSkew))) {
          // Older than its carrier's timestamp allows (a broker record far behind): Beam cannot
          // move it back that far, so it is stamped at the carrier's time, flagged and counted;
          // eventTime itself stays untouched.
          stampedAtArrival.inc();
          out.get(EVENTS).outputWithTimestamp(e.toBuilder()
              .attribute("weft.stampedAtArrival", "true").build(), inputTime);
        } else {
          out.get(EVENTS).outputWithTimestamp(e, t);
        }
      }
      // Deliberately not taken (no inventory mapping's where holds): counted, nothing to write.
      read.inc(result.filtered().size());
      filtered.inc(result.filtered().size());
      if (live != null && !result.filtered().isEmpty()) {
        live.countFiltered(result.filtered().size());
      }
      for (ParseFailure f : result.failures()) {
        read.inc();
        deadLettered.inc();
        if (live != null) {
          live.countDeadLettered();
        }
        byte[] payload = f.fragment() != null ? f.fragment() : raw.payload();
        out.get(DEAD_LETTERS).output(DeadLetters.of(adapter.format(), f.kind(), f.reason(),
            f.origin(), payload, payload.length, raw.observedTime(), maxPayloadBytes));
      }
    }

    private void deadLetter(MultiOutputReceiver out, FailureKind kind, String reason,
        RawRecord raw, byte[] payload) {
      read.inc();
      deadLettered.inc();
      if (live != null) {
        live.countDeadLettered();
      }
      out.get(DEAD_LETTERS).output(DeadLetters.of(adapter.format(), kind, reason, raw.origin(),
          payload, raw.totalSize(), raw.observedTime(), maxPayloadBytes));
    }

    @Override
    public Duration getAllowedTimestampSkew() {
      return allowedTimestampSkew;
    }
  }
}
