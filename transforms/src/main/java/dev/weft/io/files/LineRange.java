package dev.weft.io.files;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A byte range {@code [from, to)} of a file that starts exactly at a line start, and the 1-based
 * number of that first line: one reader emits every line that starts in it, with its true number.
 */
public record LineRange(long from, long to, long firstLine) {

  /** Coder for the range. */
  public static final class Coder extends CustomCoder<LineRange> {
    @Override
    public void encode(LineRange r, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeLong(r.from);
      out.writeLong(r.to);
      out.writeLong(r.firstLine);
      out.flush();
    }

    @Override
    public LineRange decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      return new LineRange(in.readLong(), in.readLong(), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
