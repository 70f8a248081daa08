package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** Binary, deterministic coder for {@link GraphEdge}. */
public final class GraphEdgeCoder extends CustomCoder<GraphEdge> {
  private static final GraphEdgeCoder INSTANCE = new GraphEdgeCoder();

  public static GraphEdgeCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link GraphEdge} find this coder. */
  public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
    return org.apache.beam.sdk.coders.CoderProviders.forCoder(
        org.apache.beam.sdk.values.TypeDescriptor.of(GraphEdge.class), INSTANCE);
  }

  private GraphEdgeCoder() {}

  @Override
  public void encode(GraphEdge e, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    Wire.writeString(out, e.from());
    Wire.writeString(out, e.relation());
    Wire.writeString(out, e.to());
    Wire.writeEnum(out, e.kind());
    GraphCoding.writePane(out, e.pane());
    out.writeLong(e.count());
    out.writeLong(e.errors());
    Wire.writeOptLong(out, e.p50Micros());
    Wire.writeOptLong(out, e.p90Micros());
    Wire.writeOptLong(out, e.p99Micros());
    GraphCoding.writeOptInstant(out, e.validFrom());
    GraphCoding.writeOptInstant(out, e.lastObserved());
    GraphCoding.writeOptInstant(out, e.validTo());
    out.flush();
  }

  @Override
  public GraphEdge decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    return new GraphEdge(Wire.readString(in), Wire.readString(in), Wire.readString(in),
        Wire.readEnum(in, EdgeKind.class), GraphCoding.readPane(in), in.readLong(), in.readLong(),
        Wire.readOptLong(in), Wire.readOptLong(in), Wire.readOptLong(in),
        GraphCoding.readOptInstant(in), GraphCoding.readOptInstant(in),
        GraphCoding.readOptInstant(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
