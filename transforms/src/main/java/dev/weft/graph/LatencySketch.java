package dev.weft.graph;

import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Call latencies of one edge and window, mergeable in any order with the same answer.
 *
 * <p>Why not a t-digest: its centroids depend on the order values and digests are merged in, and
 * runners combine partial aggregates in different orders, so percentiles differed by runner. Here
 * the first {@link #EXACT} values are kept exactly (percentiles by nearest rank); beyond that they go
 * into an HdrHistogram (two significant digits, so at most 1 % off), whose bucket counts add
 * — the same counts, whatever the merge order, give the same percentiles. A single call holds one
 * {@code long}, not a sketch: sketches exist only where calls were combined.
 */
final class LatencySketch {
  static final int EXACT = 64;
  private static final int DIGITS = 2;

  private long[] values = new long[0];
  private int size;
  private Histogram histogram;

  static LatencySketch of(long micros) {
    LatencySketch s = new LatencySketch();
    s.values = new long[] {Math.max(0, micros)};
    s.size = 1;
    return s;
  }

  long count() {
    return histogram != null ? histogram.getTotalCount() : size;
  }

  LatencySketch merge(LatencySketch o) {
    if (histogram == null && o.histogram == null && size + o.size <= EXACT) {
      long[] all = Arrays.copyOf(values, Math.max(size + o.size, 4));
      System.arraycopy(o.values, 0, all, size, o.size);
      values = all;
      size += o.size;
      return this;
    }
    toHistogram();
    if (o.histogram != null) {
      histogram.add(o.histogram);
    }
    for (int i = 0; i < o.size; i++) {
      histogram.recordValue(o.values[i]);
    }
    return this;
  }

  private void toHistogram() {
    if (histogram == null) {
      histogram = new Histogram(DIGITS);
    }
    for (int i = 0; i < size; i++) {
      histogram.recordValue(values[i]);
    }
    values = new long[0];
    size = 0;
  }

  Optional<Long> quantile(double q) {
    if (histogram != null) {
      return Optional.of(histogram.getValueAtPercentile(q * 100));
    }
    if (size == 0) {
      return Optional.empty();
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * size);
    return Optional.of(sorted[Math.max(0, Math.min(size - 1, rank - 1))]);
  }

  void encode(DataOutputStream out) throws IOException {
    out.writeBoolean(histogram != null);
    if (histogram != null) {
      ByteBuffer b = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int n = histogram.encodeIntoByteBuffer(b);
      Wire.writeBytes(out, Arrays.copyOf(b.array(), n));
      return;
    }
    writeVarLong(out, size);
    for (int i = 0; i < size; i++) {
      writeVarLong(out, values[i]);
    }
  }

  static LatencySketch decode(DataInputStream in) throws IOException {
    LatencySketch s = new LatencySketch();
    if (in.readBoolean()) {
      s.histogram = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(Wire.readBytes(in)), 0);
      return s;
    }
    s.size = (int) readVarLong(in);
    s.values = new long[Math.max(s.size, 1)];
    for (int i = 0; i < s.size; i++) {
      s.values[i] = readVarLong(in);
    }
    return s;
  }

  private static void writeVarLong(DataOutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarLong(DataInputStream in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("malformed varlong");
  }
}
