package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Binary coder for {@link RawRecord}. */
public final class RawRecordCoder extends CustomCoder<RawRecord> {
  private static final RawRecordCoder INSTANCE = new RawRecordCoder();

  public static RawRecordCoder of() {
    return INSTANCE;
  }

  private RawRecordCoder() {}

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(RawRecord.class), INSTANCE);
  }

  @Override
  public void encode(RawRecord r, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    Wire.writeBytes(out, r.payload());
    Origin o = r.origin();
    Wire.writeString(out, o.format());
    Wire.writeString(out, o.resource());
    Wire.writeOptLong(out, o.line());
    Wire.writeOptLong(out, o.byteOffset());
    Wire.writeOptInt(out, o.partition());
    Wire.writeOptLong(out, o.offset());
    Wire.writeOptString(out, o.pointer());
    Wire.writeInstant(out, r.observedTime());
    out.writeLong(r.totalSize());
    out.flush();
  }

  @Override
  public RawRecord decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    byte[] payload = Wire.readBytes(in);
    Origin o = new Origin(Wire.readString(in), Wire.readString(in), Wire.readOptLong(in),
        Wire.readOptLong(in), Wire.readOptInt(in), Wire.readOptLong(in), Wire.readOptString(in));
    return new RawRecord(payload, o, Wire.readInstant(in), in.readLong());
  }

  @Override
  public void verifyDeterministic() {}
}
