package dev.weft.io.files;

import java.io.IOException;
import java.io.InputStream;

/** Lets tests of other packages read a line exactly as the file reader does (bounded). */
public final class LineScannerAccess {
  private LineScannerAccess() {}

  /** A line's kept bytes and its true length. */
  public record Line(byte[] bytes, long contentBytes) {}

  public static Line firstLine(InputStream in, int maxRecordBytes, int prefixBytes)
      throws IOException {
    ReadLinesFn.LineScanner.Line l =
        new ReadLinesFn.LineScanner(in, maxRecordBytes, prefixBytes).next();
    return new Line(l.bytes(), l.contentBytes());
  }
}
