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

  String stateKey() {
    return teach.map(a -> a.type() + "|" + a.blockKey())
        .orElseGet(() -> query.get().type() + "|" + query.get().blockKey());
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
        Wire.writeString(out, m.query.get().type());
        Wire.writeString(out, m.query.get().blockKey());
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
      return query(e, new IdentityResolver.WeakQuery(Wire.readString(in), Wire.readString(in)));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
