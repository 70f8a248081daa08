package dev.weft.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Encoding of {@link Origin}, shared by the event and dead-letter coders. */
final class OriginCoder {
  private OriginCoder() {}

  static void write(DataOutputStream out, Origin o) throws IOException {
    Wire.writeString(out, o.format());
    Wire.writeString(out, o.resource());
    Wire.writeOptLong(out, o.line());
    Wire.writeOptLong(out, o.byteOffset());
    Wire.writeOptInt(out, o.partition());
    Wire.writeOptLong(out, o.offset());
    Wire.writeOptString(out, o.pointer());
  }

  static Origin read(DataInputStream in) throws IOException {
    return new Origin(Wire.readString(in), Wire.readString(in), Wire.readOptLong(in),
        Wire.readOptLong(in), Wire.readOptInt(in), Wire.readOptLong(in), Wire.readOptString(in));
  }
}
