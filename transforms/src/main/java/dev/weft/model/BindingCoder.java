package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Binary, deterministic coder for {@link Binding}. */
public final class BindingCoder extends CustomCoder<Binding> {
  private static final BindingCoder INSTANCE = new BindingCoder();

  public static BindingCoder of() {
    return INSTANCE;
  }

  private BindingCoder() {}

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Binding.class), INSTANCE);
  }

  @Override
  public void encode(Binding b, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    write(out, b);
    out.flush();
  }

  static void write(DataOutputStream out, Binding b) throws IOException {
    Wire.writeString(out, b.eventId());
    Wire.writeInstant(out, b.eventTime());
    Wire.writeString(out, b.entityType());
    Wire.writeString(out, b.entityId());
    Wire.writeEnum(out, b.decision());
    Wire.writeOptString(out, b.rule());
    Wire.writeMap(out, b.signals());
    out.writeDouble(b.confidence());
    Wire.writeStringList(out, b.candidates());
    Wire.writeOptString(out, b.reason());
    out.writeInt(b.revision());
  }

  @Override
  public Binding decode(InputStream inStream) throws IOException {
    return read(new DataInputStream(inStream));
  }

  static Binding read(DataInputStream in) throws IOException {
    return new Binding(Wire.readString(in), Wire.readInstant(in), Wire.readString(in),
        Wire.readString(in), Wire.readEnum(in, Decision.class), Wire.readOptString(in),
        Wire.readMap(in), in.readDouble(), Wire.readStringList(in), Wire.readOptString(in),
        in.readInt());
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
