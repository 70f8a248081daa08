package dev.weft.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Privacy settings. The rules themselves are the {@code privacy:} section of the --policy file;
 * these options say where the hashing key is and what dead letters keep of their raw payload.
 */
public interface PrivacyOptions extends PipelineOptions {

  @Description("File (local, gs://, any Beam file system) holding the key for the policy's 'hash' "
      + "rules (HMAC-SHA256, at least 16 bytes; a trailing line break is ignored). Each worker "
      + "reads it, so the key never travels in the job graph. Without it, the environment "
      + "variable WEFT_PRIVACY_KEY is used; a policy that hashes with neither refuses to start.")
  String getPrivacyKeyFile();

  void setPrivacyKeyFile(String value);

  @Description("What a dead letter keeps of its raw payload: 'redacted' (secret key/value pairs, "
      + "Authorization and Cookie headers, e-mails and the policy's privacy rules scrubbed), "
      + "'raw' (the bytes as read) or 'none' (origin, size and reason only).")
  @Default.String("redacted")
  String getDeadLetterPayloads();

  void setDeadLetterPayloads(String value);
}
