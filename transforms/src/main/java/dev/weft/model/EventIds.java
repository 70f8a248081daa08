package dev.weft.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Makes event ids. A source id is namespaced by format so two sources cannot collide; a content
 * hash is SHA-256 (first 128 bits, hex) over the fields that define the event, each
 * length-prefixed so that ("ab","c") and ("a","bc") differ.
 */
public final class EventIds {
  private EventIds() {}

  public static String sourceId(String format, String... parts) {
    return format + ":" + String.join(":", parts);
  }

  public static String contentHash(String format, String... parts) {
    MessageDigest sha = sha256();
    feed(sha, format);
    for (String p : parts) {
      feed(sha, p == null ? "\u0000null" : p);
    }
    return format + ":h:" + HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  /** A content hash that also covers a sorted map (attributes, signals) entry by entry. */
  public static String contentHash(String format, Map<String, String> sorted, String... parts) {
    String[] all = new String[parts.length + 2 * sorted.size()];
    System.arraycopy(parts, 0, all, 0, parts.length);
    int i = parts.length;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(sorted).entrySet()) {
      all[i++] = e.getKey();
      all[i++] = e.getValue();
    }
    return contentHash(format, all);
  }

  private static void feed(MessageDigest sha, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (b.length >>> 24));
    sha.update((byte) (b.length >>> 16));
    sha.update((byte) (b.length >>> 8));
    sha.update((byte) b.length);
    sha.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
