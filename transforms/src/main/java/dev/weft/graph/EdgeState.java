package dev.weft.graph;

import dev.weft.model.EdgeKind;
import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * The state of one edge within one window, as a commutative merge.
 *
 * <p>Calls: count and errors add; latencies go into a {@link LatencySketch} (exact up to 64
 * calls, an HdrHistogram beyond; the same in any merge order). Structural: {@code firstPresent}/{@code lastPresent} are the earliest
 * and latest event times at which a state stated the relation, {@code lastEnded} the latest time an
 * end (deletion) was observed; the edge is valid from {@code firstPresent} and ended at {@code
 * lastEnded} when that is not before {@code lastPresent}.
 */
final class EdgeState implements MergeStates.Mergeable<EdgeState> {

  EdgeKind kind;
  String relation;
  String from;
  String to;
  long count;
  long errors;
  LatencySketch latencyMicros;
  long firstPresent = Long.MAX_VALUE;
  long lastPresent = Long.MIN_VALUE;
  long lastEnded = Long.MIN_VALUE;

  static EdgeState of(EdgeKind kind, String relation, String from, String to) {
    EdgeState s = new EdgeState();
    s.kind = kind;
    s.relation = relation;
    s.from = from;
    s.to = to;
    return s;
  }

  static EdgeState call(String from, String to, boolean error, Optional<Long> latencyMicros) {
    EdgeState s = of(EdgeKind.CALL, "calls", from, to);
    s.count = 1;
    s.errors = error ? 1 : 0;
    latencyMicros.ifPresent(l -> s.latencyMicros = LatencySketch.of(l));
    return s;
  }

  static EdgeState present(String relation, String from, String to, long at) {
    EdgeState s = of(EdgeKind.STRUCTURAL, relation, from, to);
    s.firstPresent = at;
    s.lastPresent = at;
    return s;
  }

  static EdgeState ended(String relation, String from, String to, long at) {
    EdgeState s = of(EdgeKind.STRUCTURAL, relation, from, to);
    s.lastEnded = at;
    return s;
  }

  String key() {
    return relation + "|" + from + "|" + to;
  }

  @Override
  public EdgeState merge(EdgeState o) {
    if (kind == null) {
      kind = o.kind;
      relation = o.relation;
      from = o.from;
      to = o.to;
    }
    count += o.count;
    errors += o.errors;
    if (o.latencyMicros != null) {
      if (latencyMicros == null) {
        latencyMicros = new LatencySketch();
      }
      latencyMicros.merge(o.latencyMicros);
    }
    firstPresent = Math.min(firstPresent, o.firstPresent);
    lastPresent = Math.max(lastPresent, o.lastPresent);
    lastEnded = Math.max(lastEnded, o.lastEnded);
    return this;
  }

  Optional<Long> quantile(double q) {
    return latencyMicros == null ? Optional.empty() : latencyMicros.quantile(q);
  }

  /** Binary coder; the digest in its own small encoding. */
  static final class Coder extends CustomCoder<EdgeState> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(EdgeState s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeBoolean(s.kind != null);
      if (s.kind != null) {
        Wire.writeEnum(out, s.kind);
        Wire.writeString(out, s.relation);
        Wire.writeString(out, s.from);
        Wire.writeString(out, s.to);
      }
      out.writeLong(s.count);
      out.writeLong(s.errors);
      out.writeBoolean(s.latencyMicros != null);
      if (s.latencyMicros != null) {
        s.latencyMicros.encode(out);
      }
      out.writeLong(s.firstPresent);
      out.writeLong(s.lastPresent);
      out.writeLong(s.lastEnded);
      out.flush();
    }

    @Override
    public EdgeState decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      EdgeState s = new EdgeState();
      if (in.readBoolean()) {
        s.kind = Wire.readEnum(in, EdgeKind.class);
        s.relation = Wire.readString(in);
        s.from = Wire.readString(in);
        s.to = Wire.readString(in);
      }
      s.count = in.readLong();
      s.errors = in.readLong();
      if (in.readBoolean()) {
        s.latencyMicros = LatencySketch.decode(in);
      }
      s.firstPresent = in.readLong();
      s.lastPresent = in.readLong();
      s.lastEnded = in.readLong();
      return s;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
