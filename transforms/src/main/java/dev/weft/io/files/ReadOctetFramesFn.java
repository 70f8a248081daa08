package dev.weft.io.files;

import dev.weft.model.RawRecord;
import dev.weft.model.Origin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads a stream of RFC 6587 octet-counted frames ({@code LEN SP MSG}, separators CR/LF/NUL allowed
 * between frames) one frame at a time: each record is one frame with its length prefix, so the
 * adapter sees exactly one octet-counted message, spaces and newlines inside it intact. Memory is
 * bounded by {@code maxRecordBytes}: a longer frame is emitted as an oversize record holding its
 * first bytes and its true size, and the rest of it is skipped. Where a length is expected and
 * something else is found, the bytes up to the next LF are one record (the adapter dead-letters or
 * reads it) and framing resumes after it, so one bad frame never costs the rest of the file. Each
 * record's origin is the line and byte offset where its frame starts.
 */
final class ReadOctetFramesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
  /** How many bytes of a file {@link #startsWithFrame} looks at. */
  private static final int PROBE_BYTES = 1 << 12;

  private final String format;
  private final int maxRecordBytes;
  private final int oversizePrefixBytes;

  ReadOctetFramesFn(String format, int maxRecordBytes, int oversizePrefixBytes) {
    this.format = format;
    this.maxRecordBytes = maxRecordBytes;
    this.oversizePrefixBytes = Math.min(oversizePrefixBytes, maxRecordBytes);
  }

  /**
   * Whether a file is octet counted: it starts with a length, a space and {@code <} (a PRI), or
   * its first frame, read by its length, ends where the file ends or where another length starts.
   * An RFC 5424 message without PRI ({@code 1 2015-...}) fails both, and is read as lines.
   */
  static boolean startsWithFrame(FileIO.ReadableFile file) {
    try (InputStream in = Channels.newInputStream(file.open())) {
      return startsWithFrame(in.readNBytes(PROBE_BYTES));
    } catch (IOException e) {
      // The line reader opens it again and reports the problem; no decision to make here.
      return false;
    }
  }

  static boolean startsWithFrame(byte[] b) {
    int sp = lengthEnd(b, 0);
    if (sp < 0) {
      return false;
    }
    if (sp + 1 < b.length && b[sp + 1] == '<') {
      return true;
    }
    long next = sp + 1 + Long.parseLong(new String(b, 0, sp, StandardCharsets.US_ASCII));
    if (next > b.length) {
      return false;
    }
    int pos = (int) next;
    while (pos < b.length && (b[pos] == '\n' || b[pos] == '\r' || b[pos] == 0)) {
      pos++;
    }
    return (pos == b.length && b.length < PROBE_BYTES) || lengthEnd(b, pos) >= 0;
  }

  /** Index of the SP after a 1..9 digit length at {@code pos} (no leading 0), or -1. */
  private static int lengthEnd(byte[] b, int pos) {
    int i = pos;
    while (i < b.length && i - pos < 10 && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    if (i == pos || i - pos > 9 || b[pos] == '0' || i >= b.length || b[i] != ' ') {
      return -1;
    }
    return i;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
      throws IOException {
    String path = file.getMetadata().resourceId().toString();
    Instant observed = FileTimes.observed(file);
    try (InputStream in = Channels.newInputStream(file.open())) {
      new FrameScanner(in, path, observed, out).run();
    }
  }

  /** The position in one file: byte offset and line, and the frame being assembled. */
  private final class FrameScanner {
    private final InputStream in;
    private final String path;
    private final Instant observed;
    private final OutputReceiver<RawRecord> out;
    private long offset;
    private long line = 1;

    FrameScanner(InputStream in, String path, Instant observed, OutputReceiver<RawRecord> out) {
      this.in = in;
      this.path = path;
      this.observed = observed;
      this.out = out;
    }

    private final byte[] buffer = new byte[1 << 16];
    private int bufferPos;
    private int bufferLen;

    /** One byte, or -1 at the end; unsynchronized, unlike BufferedInputStream's. */
    private int read() throws IOException {
      if (bufferPos == bufferLen) {
        bufferLen = in.read(buffer, 0, buffer.length);
        bufferPos = 0;
        if (bufferLen <= 0) {
          bufferLen = 0;
          return -1;
        }
      }
      int c = buffer[bufferPos++] & 0xff;
      {
        offset++;
        if (c == '\n') {
          line++;
        }
      }
      return c;
    }

    void run() throws IOException {
      int c = read();
      while (c >= 0) {
        if (c == '\n' || c == '\r' || c == 0) {
          c = read();
          continue;
        }
        long frameOffset = offset - 1;
        long frameLine = line;
        Bounded kept = new Bounded();
        // The length: up to 9 digits, no leading zero, then a space.
        long len = 0;
        int digits = 0;
        while (c >= '0' && c <= '9' && digits < 10) {
          kept.write(c);
          len = len * 10 + (c - '0');
          digits++;
          c = read();
        }
        boolean validLength = digits > 0 && digits <= 9 && kept.firstByte() != '0' && c == ' ';
        if (!validLength) {
          // Not a frame: the rest of this line is one record; framing resumes on the next line.
          while (c >= 0 && c != '\n') {
            kept.write(c);
            c = read();
          }
          emit(kept, frameOffset, frameLine);
          c = read();
          continue;
        }
        kept.write(c);
        long got = 0;
        while (got < len) {
          int d = read();
          if (d < 0) {
            break; // truncated: the adapter sees fewer bytes than declared and says so
          }
          kept.write(d);
          got++;
        }
        emit(kept, frameOffset, frameLine);
        c = read();
      }
    }

    private void emit(Bounded kept, long frameOffset, long frameLine) {
      Origin origin = Origin.fileLine(format, path, Optional.of(frameLine), frameOffset);
      byte[] bytes = kept.total > maxRecordBytes ? kept.prefix(oversizePrefixBytes) : kept.bytes();
      out.output(new RawRecord(bytes, origin, observed, kept.total));
    }
  }

  /** Keeps at most {@code maxRecordBytes} of what is written, and counts all of it. */
  private final class Bounded {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private long total;
    private int first = -1;

    void write(int c) {
      if (first < 0) {
        first = c;
      }
      if (bytes.size() < maxRecordBytes) {
        bytes.write(c);
      }
      total++;
    }

    int firstByte() {
      return first;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }

    byte[] prefix(int n) {
      byte[] all = bytes.toByteArray();
      return all.length <= n ? all : java.util.Arrays.copyOf(all, n);
    }
  }
}
