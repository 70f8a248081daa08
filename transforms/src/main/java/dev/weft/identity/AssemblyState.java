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
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * One event's resolution being assembled: the event and strong bindings once its plan arrived, the
 * latest weak binding per type, and the revision last emitted (-1 before the first emission).
 */
record AssemblyState(Optional<Event> event, List<Binding> strong, List<String> expected,
    List<Binding> weak, int emitted) {

  AssemblyState {
    strong = List.copyOf(strong);
    expected = List.copyOf(expected);
    weak = List.copyOf(weak);
  }

  static AssemblyState empty() {
    return new AssemblyState(Optional.empty(), List.of(), List.of(), List.of(), -1);
  }

  boolean complete() {
    return event.isPresent()
        && expected.stream().allMatch(t -> weak.stream().anyMatch(b -> b.entityType().equals(t)));
  }

  static final class Coder extends CustomCoder<AssemblyState> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(AssemblyState s, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeBoolean(s.event.isPresent());
      if (s.event.isPresent()) {
        EventCoder.of().encode(s.event.get(), out);
      }
      AssemblyMessage.writeBindings(out, s.strong);
      Wire.writeStringList(out, s.expected);
      AssemblyMessage.writeBindings(out, s.weak);
      out.writeInt(s.emitted);
      out.flush();
    }

    @Override
    public AssemblyState decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      Optional<Event> e = in.readBoolean() ? Optional.of(EventCoder.of().decode(in))
          : Optional.empty();
      List<Binding> strong = AssemblyMessage.readBindings(in);
      List<String> expected = Wire.readStringList(in);
      List<Binding> weak = AssemblyMessage.readBindings(in);
      return new AssemblyState(e, strong, expected, weak, in.readInt());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
