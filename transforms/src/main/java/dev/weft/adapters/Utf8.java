package dev.weft.adapters;

import dev.weft.model.FailureKind;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: invalid bytes are a failure with their offset, never silently replaced. */
public final class Utf8 {
  private Utf8() {}

  public static String decode(byte[] bytes) throws RecordRejected {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new RecordRejected(FailureKind.INVALID_ENCODING,
          "the input is not valid UTF-8: bad byte 0x"
              + String.format("%02x", bytes[in.position()] & 0xff) + " at offset " + in.position());
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  public static boolean isValid(byte[] bytes) {
    try {
      decode(bytes);
      return true;
    } catch (RecordRejected e) {
      return false;
    }
  }
}
