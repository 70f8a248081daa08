package dev.weft.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a value under the run's key, shown as {@code hmac:} and the first 128 bits in
 * hex. Equal values give equal hashes under one key, so hashed identity signals still join; a
 * plain hash of an e-mail could be reversed by hashing a list of addresses, a keyed one cannot
 * without the key. Not thread-safe (one per DoFn instance).
 */
final class KeyedHash {
  static final String PREFIX = "hmac:";
  private static final int SHOWN_BYTES = 16;
  private final Mac mac;

  KeyedHash(byte[] key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  String of(String canonicalValue) {
    byte[] h = mac.doFinal(canonicalValue.getBytes(StandardCharsets.UTF_8));
    return PREFIX + HexFormat.of().formatHex(h, 0, SHOWN_BYTES);
  }
}
