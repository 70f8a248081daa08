package dev.weft.identity;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * What the first stage sends to the shard that owns a blocking key: an alias to learn (from a
 * strongly bound event) or a weak query to decide.
 */
record BlockMessage(Optional<Alias> teach, Optional<Event> event,
    Optional<IdentityResolver.WeakQuery> query) {

  static BlockMessage teach(Alias alias) {
    return new BlockMessage(Optional.of(alias), Optional.empty(), Optional.empty());
  }

  static BlockMessage query(Event event, IdentityResolver.WeakQuery query) {
    return new BlockMessage(Optional.empty(), Optional.of(event), Optional.of(query));
  }

  /** The key of the aliases this message reads or extends: type and scope (see WeakQuery). */
  String stateKey(IdentityResolver resolver) {
    return teach.map(a -> a.type() + "|" + resolver.scope(a.type(), a.blockKey()))
        .orElseGet(() -> query.get().type() + "|" + query.get().blockKey());
  }

  static void writeQuery(DataOutputStream out, IdentityResolver.WeakQuery q) throws IOException {
    Wire.writeString(out, q.type());
    Wire.writeString(out, q.blockKey());
    VarInt.encode(q.keys().size(), out);
    for (String k : q.keys()) {
      Wire.writeString(out, k);
    }
  }

  static IdentityResolver.WeakQuery readQuery(DataInputStream in) throws IOException {
    String type = Wire.readString(in);
    String scope = Wire.readString(in);
    int n = VarInt.decodeInt(in);
    java.util.List<String> keys = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(Wire.readString(in));
    }
    return new IdentityResolver.WeakQuery(type, scope, keys);
  }

  static final class Coder extends CustomCoder<BlockMessage> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(BlockMessage m, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeBoolean(m.teach.isPresent());
      if (m.teach.isPresent()) {
        AliasCoder.write(out, m.teach.get());
      } else {
        EventCoder.of().encode(m.event.get(), out);
        writeQuery(out, m.query.get());
      }
      out.flush();
    }

    @Override
    public BlockMessage decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      if (in.readBoolean()) {
        return teach(AliasCoder.read(in));
      }
      Event e = EventCoder.of().decode(in);
      return query(e, readQuery(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
