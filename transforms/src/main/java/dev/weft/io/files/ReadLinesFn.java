package dev.weft.io.files;

import dev.weft.adapters.RawRecord;
import dev.weft.model.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Reads one record per line, in parallel splits of a file, streaming: a line is never held beyond
 * {@code maxRecordBytes} (a longer line is emitted as an oversize record holding its first bytes,
 * and dead-lettered downstream), and the file is never loaded whole. Lines end at LF; a trailing CR
 * is dropped (CRLF files). Blank lines carry no record and are counted, not emitted; an empty
 * file is emitted as one empty record, for the adapter to dead-letter. Compressed
 * files cannot be split and are read by one reader.
 */
final class ReadLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
  static final long DEFAULT_SPLIT_BYTES = 64L << 20;
  private static final int BUFFER = 1 << 16;

  private final String format;
  private final long splitBytes;
  private final int maxRecordBytes;
  private final int oversizePrefixBytes;
  private final Counter blankLines;

  ReadLinesFn(String format, int maxRecordBytes, int oversizePrefixBytes, String counterNamespace,
      long splitBytes) {
    this.format = format;
    this.splitBytes = splitBytes;
    this.maxRecordBytes = maxRecordBytes;
    this.oversizePrefixBytes = Math.min(oversizePrefixBytes, maxRecordBytes);
    this.blankLines = Metrics.counter(counterNamespace, "blankLines");
  }

  long splitBytes() {
    return splitBytes;
  }

  @GetInitialRestriction
  public LineRange initialRestriction(@Element FileIO.ReadableFile file) {
    // An empty file still owns one (empty) record at offset 0, hence at least one byte of range.
    return new LineRange(0, Math.max(1, file.getMetadata().sizeBytes()), 1, true);
  }

  @SplitRestriction
  public void splitRestriction(@Element FileIO.ReadableFile file, @Restriction LineRange range,
      OutputReceiver<LineRange> out) {
    if (file.getCompression() != Compression.UNCOMPRESSED || range.to() - range.from() <= splitBytes) {
      out.output(range);
      return;
    }
    for (long start = range.from(); start < range.to(); start += splitBytes) {
      long end = Math.min(range.to(), start + splitBytes);
      out.output(start == range.from() ? new LineRange(start, end, range.firstLine(), range.exactStart())
          : new LineRange(start, end, -1, false));
    }
  }

  @NewTracker
  public LineRangeTracker newTracker(@Restriction LineRange range) {
    return new LineRangeTracker(range);
  }

  @GetRestrictionCoder
  public LineRange.Coder restrictionCoder() {
    return new LineRange.Coder();
  }

  @GetSize
  public double size(@Restriction LineRange range) {
    return range.to() - range.from();
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file,
      RestrictionTracker<LineRange, LineRangeTracker.Line> tracker,
      OutputReceiver<RawRecord> out) throws IOException {
    LineRange range = tracker.currentRestriction();
    String path = file.getMetadata().resourceId().toString();
    if (file.getMetadata().sizeBytes() == 0) {
      // An empty file has no lines, but it is still an input someone expected to hold records:
      // hand it on as one empty record so the adapter reports it (EMPTY_INPUT), never silently.
      if (tracker.tryClaim(new LineRangeTracker.Line(0, 0, 1))) {
        out.output(new RawRecord(new byte[0], Origin.fileLine(format, path, Optional.of(1L), 0),
            FileTimes.observed(file)));
      }
      tracker.tryClaim(new LineRangeTracker.Line(Long.MAX_VALUE, Long.MAX_VALUE, -1));
      return;
    }
    boolean compressed = file.getCompression() != Compression.UNCOMPRESSED;
    try (InputStream in = open(file, range, compressed)) {
      long position = range.from();
      if (!range.exactStart() && range.from() > 0) {
        position = skipPastNewline(in, range.from() - 1);
      }
      long lineNumber = range.exactStart() ? range.firstLine() : -1;
      boolean reachedEnd = emitLines(in, path, FileTimes.observed(file), position, lineNumber,
          (start, end, number) ->
          tracker.tryClaim(new LineRangeTracker.Line(start, end, number)), out);
      if (reachedEnd) {
        tracker.tryClaim(new LineRangeTracker.Line(Long.MAX_VALUE, Long.MAX_VALUE, -1));
      }
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

  private static InputStream open(FileIO.ReadableFile file, LineRange range, boolean compressed)
      throws IOException {
    if (compressed) {
      InputStream in = Channels.newInputStream(file.open());
      in.skipNBytes(range.from());
      return in;
    }
    SeekableByteChannel channel = file.openSeekable();
    long seekTo = !range.exactStart() && range.from() > 0 ? range.from() - 1 : range.from();
    channel.position(seekTo);
    return Channels.newInputStream(channel);
  }

  /** Reads from {@code at} through the next LF; returns the position just after it. */
  private static long skipPastNewline(InputStream in, long at) throws IOException {
    long position = at;
    int b;
    while ((b = in.read()) >= 0) {
      position++;
      if (b == '\n') {
        return position;
      }
    }
    return position;
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
