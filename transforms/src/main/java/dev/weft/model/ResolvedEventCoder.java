package dev.weft.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Binary, deterministic coder for {@link ResolvedEvent}. */
public final class ResolvedEventCoder extends CustomCoder<ResolvedEvent> {
  private static final ResolvedEventCoder INSTANCE = new ResolvedEventCoder();

  public static ResolvedEventCoder of() {
    return INSTANCE;
  }

  private ResolvedEventCoder() {}

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(ResolvedEvent.class), INSTANCE);
  }

  @Override
  public void encode(ResolvedEvent r, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    EventCoder.of().encode(r.event(), event);
    Wire.writeBytes(out, event.toByteArray());
    Wire.writeString(out, r.subject());
    Wire.writeMap(out, r.entities());
    out.writeInt(r.revision());
    out.writeBoolean(r.retraction());
    out.flush();
  }

  @Override
  public ResolvedEvent decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    Event e = EventCoder.of().decode(new ByteArrayInputStream(Wire.readBytes(in)));
    return new ResolvedEvent(e, Wire.readString(in), Wire.readMap(in), in.readInt(),
        in.readBoolean());
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
