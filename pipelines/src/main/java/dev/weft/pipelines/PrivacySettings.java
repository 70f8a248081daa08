package dev.weft.pipelines;

import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.PolicyException;
import dev.weft.model.DeadLetter;
import dev.weft.model.Event;
import dev.weft.options.WeftOptions;
import dev.weft.privacy.DeadLetterPayloads;
import dev.weft.privacy.PrivacyKey;
import dev.weft.privacy.PrivacyPolicy;
import dev.weft.privacy.ProtectPrivacy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * The privacy policy (the {@code privacy:} section of the --policy file, or the built-in rules),
 * where its key is, and the dead-letter payload mode, checked at start: an unknown mode, a bad
 * section, or a policy that hashes without a key (--privacyKeyFile or WEFT_PRIVACY_KEY) stops the
 * run with a message; there is never a default key.
 */
record PrivacySettings(PrivacyPolicy policy, PrivacyKey keyOrNull, DeadLetterPayloads payloads) {

  static PrivacySettings from(WeftOptions o) {
    DeadLetterPayloads payloads = DeadLetterPayloads.byName(o.getDeadLetterPayloads())
        .orElseThrow(() -> new InvalidConfiguration("--deadLetterPayloads="
            + o.getDeadLetterPayloads() + ": expected redacted, raw or none"));
    PrivacyPolicy policy;
    try {
      policy = PrivacyPolicy.parse(policyText(o), o.getPolicy() == null
          ? "classpath:" + IdentityPolicy.DEFAULT_RESOURCE : o.getPolicy());
    } catch (PolicyException e) {
      throw new InvalidConfiguration("--policy: " + e.getMessage(), e);
    }
    PrivacyKey key = o.getPrivacyKeyFile() != null ? PrivacyKey.fromFile(o.getPrivacyKeyFile())
        : PrivacyKey.environmentIfSet().orElse(null);
    if (policy.needsKey()) {
      if (key == null) {
        throw new InvalidConfiguration("the privacy policy hashes values but there is no key: "
            + "give --privacyKeyFile=FILE or set the environment variable "
            + PrivacyKey.ENVIRONMENT_VARIABLE + " (at least " + PrivacyKey.MIN_BYTES
            + " bytes; Weft has no default key)");
      }
      try {
        key.read();
      } catch (IllegalStateException e) {
        throw new InvalidConfiguration("--privacyKeyFile: " + e.getMessage(), e);
      }
    }
    return new PrivacySettings(policy, key, payloads);
  }

  PTransform<PCollection<Event>, PCollection<Event>> events() {
    return ProtectPrivacy.events(policy, keyOrNull);
  }

  PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> deadLetters() {
    return ProtectPrivacy.deadLetters(policy, keyOrNull, payloads);
  }

  private static String policyText(WeftOptions o) {
    try {
      if (o.getPolicy() != null) {
        return Files.readString(Paths.get(o.getPolicy()), StandardCharsets.UTF_8);
      }
      try (InputStream in = IdentityPolicy.class.getClassLoader()
          .getResourceAsStream(IdentityPolicy.DEFAULT_RESOURCE)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
