package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.util.VarInt;

/** Wire primitives the graph coders share beyond {@link Wire}. */
final class GraphCoding {
  private GraphCoding() {}

  static void writePane(DataOutputStream out, GraphPane p) throws IOException {
    Wire.writeInstant(out, p.windowStart());
    Wire.writeInstant(out, p.windowEnd());
    Wire.writeEnum(out, p.timing());
    out.writeLong(p.index());
    out.writeBoolean(p.isFinal());
    out.writeLong(p.revision());
  }

  static GraphPane readPane(DataInputStream in) throws IOException {
    return new GraphPane(Wire.readInstant(in), Wire.readInstant(in),
        Wire.readEnum(in, PaneTiming.class), in.readLong(), in.readBoolean(), in.readLong());
  }

  static void writeOptInstant(DataOutputStream out, Optional<Instant> t) throws IOException {
    out.writeBoolean(t.isPresent());
    if (t.isPresent()) {
      Wire.writeInstant(out, t.get());
    }
  }

  static Optional<Instant> readOptInstant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(Wire.readInstant(in)) : Optional.empty();
  }

  static void writeLongMap(DataOutputStream out, SortedMap<String, Long> m) throws IOException {
    VarInt.encode(m.size(), out);
    for (Map.Entry<String, Long> e : m.entrySet()) {
      Wire.writeString(out, e.getKey());
      out.writeLong(e.getValue());
    }
  }

  static SortedMap<String, Long> readLongMap(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    SortedMap<String, Long> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String k = Wire.readString(in);
      m.put(k, in.readLong());
    }
    return m;
  }
}
