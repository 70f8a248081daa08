package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** Binary, deterministic coder for {@link GraphNode}. */
public final class GraphNodeCoder extends CustomCoder<GraphNode> {
  private static final GraphNodeCoder INSTANCE = new GraphNodeCoder();

  public static GraphNodeCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link GraphNode} find this coder. */
  public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
    return org.apache.beam.sdk.coders.CoderProviders.forCoder(
        org.apache.beam.sdk.values.TypeDescriptor.of(GraphNode.class), INSTANCE);
  }

  private GraphNodeCoder() {}

  @Override
  public void encode(GraphNode n, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    Wire.writeString(out, n.id());
    Wire.writeString(out, n.type());
    GraphCoding.writePane(out, n.pane());
    Wire.writeMap(out, n.attributes());
    out.writeLong(n.events());
    GraphCoding.writeOptInstant(out, n.firstSeen());
    GraphCoding.writeOptInstant(out, n.lastSeen());
    GraphCoding.writeLongMap(out, n.logsBySeverity());
    GraphCoding.writeOptInstant(out, n.lastWrite());
    GraphCoding.writeOptInstant(out, n.validTo());
    out.flush();
  }

  @Override
  public GraphNode decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    return new GraphNode(Wire.readString(in), Wire.readString(in), GraphCoding.readPane(in),
        Wire.readMap(in), in.readLong(), GraphCoding.readOptInstant(in),
        GraphCoding.readOptInstant(in), GraphCoding.readLongMap(in),
        GraphCoding.readOptInstant(in), GraphCoding.readOptInstant(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
