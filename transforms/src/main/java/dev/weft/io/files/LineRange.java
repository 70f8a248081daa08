package dev.weft.io.files;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A byte range of a file whose lines one reader owns: every line that STARTS in {@code [from, to)}.
 * {@code exactStart} says a line starts exactly at {@code from} (the range was cut after a line the
 * reader has read); otherwise the reader skips to the first line start at or after {@code from}.
 * {@code firstLine} is the 1-based number of the first line, or -1 when unknown (a range cut at an
 * arbitrary byte), which is how line numbers survive the runner's checkpoints.
 */
public record LineRange(long from, long to, long firstLine, boolean exactStart) {

  public boolean knowsLineNumbers() {
    return firstLine > 0;
  }

  /** Coder for the restriction. */
  public static final class Coder extends CustomCoder<LineRange> {
    @Override
    public void encode(LineRange r, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeLong(r.from);
      out.writeLong(r.to);
      out.writeLong(r.firstLine);
      out.writeBoolean(r.exactStart);
      out.flush();
    }

    @Override
    public LineRange decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      return new LineRange(in.readLong(), in.readLong(), in.readLong(), in.readBoolean());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
