package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.BindingCoder;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The state of one blocking key in a shard: the aliases learned under it, and the weak decisions
 * taken under it that late knowledge may still change (kept until the lateness bound passes).
 */
record BlockState(List<Alias> aliases, List<Pending> pending) {

  BlockState {
    aliases = List.copyOf(aliases);
    pending = List.copyOf(pending);
  }

  static BlockState empty() {
    return new BlockState(List.of(), List.of());
  }

  /** A weak decision that may be revised: the event, its query and the binding last emitted. */
  record Pending(Event event, IdentityResolver.WeakQuery query, Binding binding) {}

  static final class Coder extends CustomCoder<BlockState> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(BlockState s, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      VarInt.encode(s.aliases.size(), out);
      for (Alias a : s.aliases) {
        AliasCoder.write(out, a);
      }
      VarInt.encode(s.pending.size(), out);
      for (Pending p : s.pending) {
        EventCoder.of().encode(p.event(), out);
        BlockMessage.writeQuery(out, p.query());
        BindingCoder.of().encode(p.binding(), out);
      }
      out.flush();
    }

    @Override
    public BlockState decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      int n = VarInt.decodeInt(in);
      List<Alias> aliases = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        aliases.add(AliasCoder.read(in));
      }
      int m = VarInt.decodeInt(in);
      List<Pending> pending = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        Event e = EventCoder.of().decode(in);
        IdentityResolver.WeakQuery q = BlockMessage.readQuery(in);
        pending.add(new Pending(e, q, BindingCoder.of().decode(in)));
      }
      return new BlockState(aliases, pending);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
