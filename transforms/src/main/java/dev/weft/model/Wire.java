package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.util.VarInt;

/**
 * The primitives of Weft's binary coders. Every value has exactly one encoding (maps are written in
 * key order, optionals with a presence byte), which is what makes the coders deterministic and
 * lets events and their ids be grouping keys.
 */
public final class Wire {
  private Wire() {}

  public static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(b.length, out);
    out.write(b);
  }

  public static String readString(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  public static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    VarInt.encode(b.length, out);
    out.write(b);
  }

  public static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[VarInt.decodeInt(in)];
    in.readFully(b);
    return b;
  }

  public static void writeOptString(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      writeString(out, s.get());
    }
  }

  public static Optional<String> readOptString(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
  }

  public static void writeOptLong(DataOutputStream out, Optional<Long> v) throws IOException {
    out.writeBoolean(v.isPresent());
    if (v.isPresent()) {
      out.writeLong(v.get());
    }
  }

  public static Optional<Long> readOptLong(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(in.readLong()) : Optional.empty();
  }

  public static void writeOptInt(DataOutputStream out, Optional<Integer> v) throws IOException {
    out.writeBoolean(v.isPresent());
    if (v.isPresent()) {
      out.writeInt(v.get());
    }
  }

  public static Optional<Integer> readOptInt(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(in.readInt()) : Optional.empty();
  }

  public static void writeInstant(DataOutputStream out, Instant t) throws IOException {
    out.writeLong(t.getEpochSecond());
    out.writeInt(t.getNano());
  }

  public static Instant readInstant(DataInputStream in) throws IOException {
    long s = in.readLong();
    return Instant.ofEpochSecond(s, in.readInt());
  }

  public static <E extends Enum<E>> void writeEnum(DataOutputStream out, E e) throws IOException {
    writeString(out, e.name());
  }

  public static <E extends Enum<E>> E readEnum(DataInputStream in, Class<E> type)
      throws IOException {
    return Enum.valueOf(type, readString(in));
  }

  public static void writeMap(DataOutputStream out, Map<String, String> m) throws IOException {
    SortedMap<String, String> sorted = m instanceof SortedMap ? (SortedMap<String, String>) m
        : new TreeMap<>(m);
    VarInt.encode(sorted.size(), out);
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  public static SortedMap<String, String> readMap(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    SortedMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String k = readString(in);
      m.put(k, readString(in));
    }
    return m;
  }

  public static void writeStringList(DataOutputStream out, List<String> l) throws IOException {
    VarInt.encode(l.size(), out);
    for (String s : l) {
      writeString(out, s);
    }
  }

  public static List<String> readStringList(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    List<String> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(readString(in));
    }
    return l;
  }
}
