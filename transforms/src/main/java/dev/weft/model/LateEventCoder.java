package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** Binary, deterministic coder for {@link LateEvent}. */
public final class LateEventCoder extends CustomCoder<LateEvent> {
  private static final LateEventCoder INSTANCE = new LateEventCoder();

  public static LateEventCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link LateEvent} find this coder. */
  public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
    return org.apache.beam.sdk.coders.CoderProviders.forCoder(
        org.apache.beam.sdk.values.TypeDescriptor.of(LateEvent.class), INSTANCE);
  }

  private LateEventCoder() {}

  @Override
  public void encode(LateEvent l, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    Wire.writeString(out, l.eventId());
    Wire.writeString(out, l.format());
    Wire.writeString(out, l.key());
    Wire.writeInstant(out, l.eventTime());
    Wire.writeInstant(out, l.frontier());
    out.writeLong(l.lateByMillis());
    out.writeLong(l.allowedLatenessMillis());
    Wire.writeString(out, l.stage());
    Wire.writeString(out, l.reason());
    out.flush();
  }

  @Override
  public LateEvent decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    return new LateEvent(Wire.readString(in), Wire.readString(in), Wire.readString(in),
        Wire.readInstant(in), Wire.readInstant(in), in.readLong(), in.readLong(),
        Wire.readString(in), Wire.readString(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
