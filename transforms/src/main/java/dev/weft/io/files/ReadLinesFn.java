package dev.weft.io.files;

import dev.weft.model.RawRecord;
import dev.weft.model.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Reads the lines of one range of a file ({@link FileLineRanges} cut it at a line start), one
 * record per line, streaming: a line is never held beyond {@code maxRecordBytes} (a longer line is
 * emitted as an oversize record holding its first bytes, and dead-lettered downstream), and the
 * file is never loaded whole. Lines end at LF; a trailing CR is dropped (CRLF files). Blank lines
 * carry no record and are counted, not emitted; an empty file is emitted as one empty record, for
 * the adapter to dead-letter. Compressed files are never cut and are read by one reader
 * ({@link ReadSmallFileLinesFn}).
 */
final class ReadLinesFn extends DoFn<KV<FileIO.ReadableFile, LineRange>, RawRecord> {
  static final long DEFAULT_SPLIT_BYTES = 16L << 20;
  private static final int BUFFER = 1 << 16;

  private final String format;
  private final int maxRecordBytes;
  private final int oversizePrefixBytes;
  private final Counter blankLines;

  ReadLinesFn(String format, int maxRecordBytes, int oversizePrefixBytes,
      String counterNamespace) {
    this.format = format;
    this.maxRecordBytes = maxRecordBytes;
    this.oversizePrefixBytes = Math.min(oversizePrefixBytes, maxRecordBytes);
    this.blankLines = Metrics.counter(counterNamespace, "blankLines");
  }

  @ProcessElement
  public void process(@Element KV<FileIO.ReadableFile, LineRange> element,
      OutputReceiver<RawRecord> out) throws IOException {
    FileIO.ReadableFile file = element.getKey();
    LineRange range = element.getValue();
    String path = file.getMetadata().resourceId().toString();
    try (SeekableByteChannel channel = file.openSeekable()) {
      channel.position(range.from());
      InputStream in = Channels.newInputStream(channel);
      long to = range.to();
      emitLines(in, path, FileTimes.observed(file), range.from(), range.firstLine(),
          (start, end, number) -> start < to, out);
    }
  }

  /** Decides whether the line at {@code [start, end)} is this reader's to emit. */
  interface LineClaim {
    boolean claim(long start, long end, long number);
  }

  /**
   * Emits the lines of {@code in}, which is positioned at byte {@code position} of the file, until
   * the end of input (returns true) or until a line is not claimed (returns false).
   */
  boolean emitLines(InputStream in, String path, Instant observed, long position,
      long lineNumber, LineClaim claim, OutputReceiver<RawRecord> out) throws IOException {
    LineScanner scanner = new LineScanner(in, maxRecordBytes, oversizePrefixBytes);
    while (true) {
      LineScanner.Line line = scanner.next();
      if (line == null) {
        return true;
      }
      long start = position;
      position += line.consumedBytes();
      long number = lineNumber;
      if (lineNumber > 0) {
        lineNumber++;
      }
      if (!claim.claim(start, position, number)) {
        return false;
      }
      if (line.isBlank()) {
        blankLines.inc();
        continue;
      }
      Origin origin = Origin.fileLine(format, path,
          number > 0 ? Optional.of(number) : Optional.empty(), start);
      out.output(new RawRecord(line.bytes(), origin, observed, line.contentBytes()));
    }
  }

  /** Splits a stream into lines with bounded memory. */
  static final class LineScanner {
    record Line(byte[] bytes, long contentBytes, long consumedBytes) {
      boolean isBlank() {
        if (contentBytes > bytes.length) {
          return false;
        }
        for (byte b : bytes) {
          if (b != ' ' && b != '\t') {
            return false;
          }
        }
        return true;
      }
    }

    private final InputStream in;
    private final int maxRecordBytes;
    private final int prefixBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int bufferPos;
    private int bufferLen;
    private boolean eof;

    LineScanner(InputStream in, int maxRecordBytes, int prefixBytes) {
      this.in = in;
      this.maxRecordBytes = maxRecordBytes;
      this.prefixBytes = prefixBytes;
    }

    /** The next line, or null at end of input. */
    Line next() throws IOException {
      byte[] acc = new byte[256];
      int accLen = 0;
      long content = 0;
      long consumed = 0;
      boolean sawAny = false;
      while (true) {
        if (bufferPos == bufferLen) {
          if (eof || !fill()) {
            break;
          }
        }
        sawAny = true;
        int nl = -1;
        for (int i = bufferPos; i < bufferLen; i++) {
          if (buffer[i] == '\n') {
            nl = i;
            break;
          }
        }
        int end = nl < 0 ? bufferLen : nl;
        int n = end - bufferPos;
        long keepLimit = content + n <= maxRecordBytes ? maxRecordBytes : prefixBytes;
        if (accLen < keepLimit) {
          int take = (int) Math.min(n, keepLimit - accLen);
          if (accLen + take > acc.length) {
            acc = Arrays.copyOf(acc, Math.max(accLen + take, acc.length * 2));
          }
          System.arraycopy(buffer, bufferPos, acc, accLen, take);
          accLen += take;
        }
        content += n;
        consumed += n;
        bufferPos = end;
        if (nl >= 0) {
          bufferPos++;
          consumed++;
          break;
        }
      }
      if (!sawAny) {
        return null;
      }
      if (content > maxRecordBytes && accLen > prefixBytes) {
        accLen = prefixBytes;
      }
      // Drop the CR of a CRLF ending (only when the whole line was kept).
      if (content <= maxRecordBytes && accLen > 0 && acc[accLen - 1] == '\r') {
        accLen--;
        content--;
      }
      return new Line(Arrays.copyOf(acc, accLen), content, consumed);
    }

    private boolean fill() throws IOException {
      int n = in.read(buffer, 0, buffer.length);
      if (n <= 0) {
        eof = true;
        return false;
      }
      bufferPos = 0;
      bufferLen = n;
      return true;
    }
  }
}
