package dev.weft.adapters;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, deterministic generator of hostile input for one format: valid records mixed with
 * malformed ones that no correct adapter may accept (truncations, invalid UTF-8, NUL bytes,
 * 10,000-deep nesting, wrong JSON types, huge numbers, out-of-range times, empty ids) and hostile
 * ones (byte flips; YAML alias bombs are made by {@link #yamlAliasBomb}) that may go either way
 * but must give an event or a dead letter.
 * The same seed gives the same corpus, byte for byte.
 *
 * <p>A format is described by a template with two tokens: {@code @ID@} (a JSON value, quotes
 * included, where the format requires an id) and {@code @TIME@} (the time value as the format
 * writes it), plus how to write a valid, a too-large and a negative time, and where in a text
 * line a cut always breaks the header.
 */
final class FuzzCorpus {
  /**
   * What a generated record is meant to be: valid (must become events), malformed (must become
   * dead letters), or hostile (a flipped bit, a YAML alias bomb: may be read or refused, but must
   * give an event or a dead letter, quickly and in bounded memory).
   */
  enum Kind { VALID, MALFORMED, HOSTILE }

  /** One generated record and the mutation that made it. */
  record Sample(Kind kind, String mutation, byte[] bytes) {}

  /** How to write records of one format. */
  record Format(String name, boolean json, String template, String validTime, String hugeTime,
      String farTime, String negativeTime, String emptyId, int headerCut) {

    String valid(Random rnd, int n) {
      return template.replace("@ID@", "\"" + hex(rnd, 32) + "\"")
          .replace("@TIME@", validTime).replace("@N@", String.valueOf(n));
    }
  }

  private final Format format;
  private final Random rnd;

  FuzzCorpus(Format format, long seed) {
    this.format = format;
    this.rnd = new Random(seed);
  }

  /** {@code valid} valid records, {@code malformed} malformed ones and {@code flipped} flips. */
  List<Sample> generate(int valid, int malformed, int flipped) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < valid; i++) {
      out.add(new Sample(Kind.VALID, "valid", bytes(format.valid(rnd, i))));
    }
    String[] mutations = format.json()
        ? new String[] {"truncated", "invalid-utf8", "nul-byte", "deep-nesting", "wrong-root-type",
            "wrong-id-type", "huge-number-time", "year-99999", "negative-time", "empty-id"}
        : new String[] {"truncated", "invalid-utf8", "nul-byte", "deep-nesting", "year-99999",
            "negative-time"};
    for (int i = 0; i < malformed; i++) {
      String m = mutations[i % mutations.length];
      byte[] b = malformed(m, format.valid(rnd, i));
      if (b != null) {
        out.add(new Sample(Kind.MALFORMED, m, b));
      }
    }
    for (int i = 0; i < flipped; i++) {
      byte[] b = bytes(format.valid(rnd, i));
      int at = rnd.nextInt(b.length);
      b[at] ^= (byte) (1 << rnd.nextInt(8));
      out.add(new Sample(Kind.HOSTILE, "bit-flip", b));
    }
    // Shuffle deterministically, so valid and bad records are mixed.
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      Sample t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  private byte[] malformed(String mutation, String valid) {
    switch (mutation) {
      case "truncated": {
        int limit = format.json() ? valid.length() - 1 : format.headerCut();
        return bytes(valid.substring(0, 1 + rnd.nextInt(Math.max(1, limit - 1))));
      }
      case "invalid-utf8": {
        byte[] b = bytes(valid);
        int at = format.json() ? valid.indexOf('"') + 1 : b.length - 2;
        return splice(b, at, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff});
      }
      case "nul-byte": {
        byte[] b = bytes(valid);
        // JSON: an unescaped control byte is never valid. Text: NUL inside the timestamp (in
        // syslog NUL also separates messages, so both halves must then fail on their own).
        int at = format.json() ? 1 + rnd.nextInt(b.length - 2)
            : format.template().indexOf("@TIME@") + rnd.nextInt(format.validTime().length());
        byte[] out = b.clone();
        out[at] = 0;
        return out;
      }
      case "deep-nesting":
        return bytes("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}");
      case "wrong-root-type":
        return bytes(new String[] {"5", "\"text\"", "true", "null", "[5]", "[\"x\"]"}[rnd.nextInt(6)]);
      case "wrong-id-type":
        return format.emptyId() == null ? null : bytes(replaceId(valid,
            new String[] {"{\"a\":1}", "[1,2]", "true"}[rnd.nextInt(3)]));
      case "huge-number-time":
        return bytes(replaceTime(valid, format.hugeTime()));
      case "year-99999":
        return bytes(replaceTime(valid, format.farTime()));
      case "negative-time":
        return bytes(replaceTime(valid, format.negativeTime()));
      case "empty-id":
        return format.emptyId() == null ? null : bytes(replaceId(valid, format.emptyId()));
      default:
        throw new IllegalArgumentException(mutation);
    }
  }

  /** The valid record with its id value replaced (the template puts a 32-hex id first). */
  private String replaceId(String valid, String value) {
    String template = format.template();
    int at = template.indexOf("@ID@");
    int end = valid.indexOf('"', at + 1) + 1;
    return valid.substring(0, at) + value + valid.substring(end);
  }

  private String replaceTime(String valid, String value) {
    return valid.replace(format.validTime(), value);
  }

  /** A YAML alias bomb: nine levels of nine aliases, a billion strings if expanded. */
  static byte[] yamlAliasBomb() {
    StringBuilder s = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char p = (char) (c - 1);
      s.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        s.append(i == 0 ? "" : ",").append('*').append(p);
      }
      s.append("]\n");
    }
    return bytes("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, namespace: x}\ndata:\n"
        + s.toString().replaceAll("(?m)^", "  "));
  }

  private static byte[] splice(byte[] b, int at, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, at);
    out.write(insert, 0, insert.length);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  private static String hex(Random rnd, int digits) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      s.append(Character.forDigit(rnd.nextInt(16), 16));
    }
    if (s.chars().allMatch(ch -> ch == '0')) {
      s.setCharAt(0, '1');
    }
    return s.toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
