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
import java.util.Optional;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * What reaches the shard that assembles an event's resolution: the event with its strong bindings
 * and the weak types still expected ({@code plan}), or one weak binding (possibly a revision).
 */
record AssemblyMessage(Optional<Event> event, List<Binding> strong, List<String> expected,
    Optional<Binding> weak) {

  AssemblyMessage {
    strong = List.copyOf(strong);
    expected = List.copyOf(expected);
  }

  static AssemblyMessage plan(Event event, List<Binding> strong, List<String> expected) {
    return new AssemblyMessage(Optional.of(event), strong, expected, Optional.empty());
  }

  static AssemblyMessage weak(Binding binding) {
    return new AssemblyMessage(Optional.empty(), List.of(), List.of(), Optional.of(binding));
  }

  String eventId() {
    return event.map(Event::eventId).orElseGet(() -> weak.get().eventId());
  }

  static final class Coder extends CustomCoder<AssemblyMessage> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(AssemblyMessage m, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeBoolean(m.event.isPresent());
      if (m.event.isPresent()) {
        EventCoder.of().encode(m.event.get(), out);
        writeBindings(out, m.strong);
        Wire.writeStringList(out, m.expected);
      } else {
        BindingCoder.of().encode(m.weak.get(), out);
      }
      out.flush();
    }

    @Override
    public AssemblyMessage decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      if (in.readBoolean()) {
        Event e = EventCoder.of().decode(in);
        List<Binding> strong = readBindings(in);
        return plan(e, strong, Wire.readStringList(in));
      }
      return weak(BindingCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  static void writeBindings(DataOutputStream out, List<Binding> bindings) throws IOException {
    VarInt.encode(bindings.size(), out);
    for (Binding b : bindings) {
      BindingCoder.of().encode(b, out);
    }
  }

  static List<Binding> readBindings(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    List<Binding> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(BindingCoder.of().decode(in));
    }
    return out;
  }
}
