package dev.weft.graph;

import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * One node or edge of {@code graph.json}, merged over all its windows and rendered as it stands in
 * the document, with what the document's totals need: whether it is a call edge, its calls and
 * errors. {@code sortKey} orders nodes (by id) and edges (by from, relation, to).
 */
record EntityFragment(boolean node, String sortKey, String json, boolean call, long calls,
    long errors) {

  static final class Coder extends CustomCoder<EntityFragment> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(EntityFragment f, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeBoolean(f.node());
      Wire.writeString(out, f.sortKey());
      Wire.writeString(out, f.json());
      out.writeBoolean(f.call());
      out.writeLong(f.calls());
      out.writeLong(f.errors());
      out.flush();
    }

    @Override
    public EntityFragment decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      return new EntityFragment(in.readBoolean(), Wire.readString(in),
          Wire.readString(in), in.readBoolean(), in.readLong(), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
