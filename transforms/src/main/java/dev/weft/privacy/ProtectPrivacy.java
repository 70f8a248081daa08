package dev.weft.privacy;

import dev.weft.model.DeadLetter;
import dev.weft.model.DeadLetterCoder;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * The privacy policy as PTransforms, applied to the adapters' output before anything is written:
 * {@link #events} protects canonical events (signals, attributes, log bodies, span texts) and
 * {@link #deadLetters} protects dead letters (payload per {@link DeadLetterPayloads}, reason). One
 * element in, one element out, timestamps and windows untouched: counts, deduplication (event ids
 * are kept) and conservation are unchanged.
 *
 * <p>Only the policy and where the key is ({@link PrivacyKey}) travel with the pipeline; each
 * worker reads the key in {@code @Setup}, so the key is in no job graph or display data.
 */
public final class ProtectPrivacy {
  private ProtectPrivacy() {}

  /**
   * @param key where the hashing key is; null when the policy does not hash
   * @throws IllegalArgumentException when the policy hashes and {@code key} is null
   */
  public static PTransform<PCollection<Event>, PCollection<Event>> events(PrivacyPolicy policy,
      PrivacyKey key) {
    requireKey(policy, key);
    return new Events(policy, key);
  }

  public static PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> deadLetters(
      PrivacyPolicy policy, PrivacyKey key, DeadLetterPayloads mode) {
    requireKey(policy, key);
    return new DeadLetters(policy, key, mode);
  }

  private static void requireKey(PrivacyPolicy policy, PrivacyKey key) {
    if (policy.needsKey() && key == null) {
      throw new IllegalArgumentException("the privacy policy hashes values but no key was given");
    }
  }

  private static final class Events extends PTransform<PCollection<Event>, PCollection<Event>> {
    private final PrivacyPolicy policy;
    private final PrivacyKey key;

    Events(PrivacyPolicy policy, PrivacyKey key) {
      this.policy = policy;
      this.key = key;
    }

    @Override
    public PCollection<Event> expand(PCollection<Event> input) {
      return input.apply("Redact events", ParDo.of(new ProtectEventFn(policy, key)))
          .setCoder(EventCoder.of());
    }
  }

  private static final class DeadLetters
      extends PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> {
    private final PrivacyPolicy policy;
    private final PrivacyKey key;
    private final DeadLetterPayloads mode;

    DeadLetters(PrivacyPolicy policy, PrivacyKey key, DeadLetterPayloads mode) {
      this.policy = policy;
      this.key = key;
      this.mode = mode;
    }

    @Override
    public PCollection<DeadLetter> expand(PCollection<DeadLetter> input) {
      return input.apply("Redact dead letters", ParDo.of(new ProtectDeadLetterFn(policy, key, mode)))
          .setCoder(DeadLetterCoder.of());
    }
  }

  /** Holds the policy and the key's location; the redactor is built on the worker. */
  private abstract static class RedactingFn<T> extends DoFn<T, T> {
    private final PrivacyPolicy policy;
    private final PrivacyKey key;
    transient Redactor redactor;

    RedactingFn(PrivacyPolicy policy, PrivacyKey key) {
      this.policy = policy;
      this.key = key;
    }

    @Setup
    public void setup() {
      Optional<byte[]> bytes = policy.needsKey() ? Optional.of(key.read()) : Optional.empty();
      redactor = new Redactor(policy, bytes);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("privacyRules", policy.rules().size()))
          .addIfNotNull(DisplayData.item("privacyKey", key == null ? null : key.toString()));
    }
  }

  private static final class ProtectEventFn extends RedactingFn<Event> {
    ProtectEventFn(PrivacyPolicy policy, PrivacyKey key) {
      super(policy, key);
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<Event> out) {
      out.output(redactor.protect(e));
    }
  }

  private static final class ProtectDeadLetterFn extends RedactingFn<DeadLetter> {
    private final DeadLetterPayloads mode;

    ProtectDeadLetterFn(PrivacyPolicy policy, PrivacyKey key, DeadLetterPayloads mode) {
      super(policy, key);
      this.mode = mode;
    }

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<DeadLetter> out) {
      out.output(redactor.protect(d, mode));
    }
  }
}
