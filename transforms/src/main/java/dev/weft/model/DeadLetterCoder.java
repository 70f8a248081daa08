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

/** Binary, deterministic coder for {@link DeadLetter}. */
public final class DeadLetterCoder extends CustomCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  private DeadLetterCoder() {}

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
  }

  @Override
  public void encode(DeadLetter d, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    OriginCoder.write(out, d.origin());
    Wire.writeString(out, d.adapter());
    Wire.writeEnum(out, d.errorClass());
    Wire.writeString(out, d.reason());
    Wire.writeString(out, d.payload());
    Wire.writeString(out, d.payloadEncoding());
    out.writeLong(d.rawSize());
    out.writeBoolean(d.truncated());
    Wire.writeInstant(out, d.observedTime());
    out.flush();
  }

  @Override
  public DeadLetter decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    return new DeadLetter(OriginCoder.read(in), Wire.readString(in),
        Wire.readEnum(in, FailureKind.class), Wire.readString(in), Wire.readString(in),
        Wire.readString(in), in.readLong(), in.readBoolean(), Wire.readInstant(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
