package dev.weft.adapters;

import dev.weft.model.FailureKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a syslog stream into messages by the framings of RFC 6587: octet counting ({@code LEN SP
 * MSG}, repeated, bytes counted exactly so spaces and newlines inside a message survive) and
 * non-transparent framing (messages separated by LF or NUL, the last one may lack its separator).
 *
 * <p>A stream is octet-counted when it starts with a length, a space and {@code <} (a PRI), or
 * when the whole stream is a clean chain of length-prefixed frames. The second rule catches
 * octet-counted messages without PRI; the first keeps a truncated octet-counted stream octet
 * counted, so its last frame is reported as truncated instead of being misread as a line. An
 * RFC 5424 message without PRI starts with {@code 1 2015-...}, which fails both rules.
 */
final class SyslogFrames {
  private SyslogFrames() {}

  /**
   * One message: bytes {@code [start, end)}, its index in the stream, its line index (-1 when
   * octet counted), or a rejection when the frame itself is broken.
   */
  record Frame(int start, int end, int index, int lineIndex, RecordRejected error) {}

  static List<Frame> cut(byte[] b, int maxMessageBytes) {
    return isOctetCounted(b) ? octetFrames(b, maxMessageBytes) : lineFrames(b, maxMessageBytes);
  }

  static boolean isOctetCounted(byte[] b) {
    int sp = lengthEnd(b, 0);
    if (sp < 0) {
      return false;
    }
    if (sp + 1 < b.length && b[sp + 1] == '<') {
      return true;
    }
    int pos = 0;
    while (pos < b.length) {
      pos = skipSeparators(b, pos);
      if (pos >= b.length) {
        return true;
      }
      int end = lengthEnd(b, pos);
      if (end < 0) {
        return false;
      }
      long len = Long.parseLong(new String(b, pos, end - pos, StandardCharsets.US_ASCII));
      if (len > b.length - (end + 1L)) {
        return false;
      }
      pos = end + 1 + (int) len;
    }
    return true;
  }

  /** Index of the SP after a 1..9 digit length starting at {@code pos} (no leading 0), or -1. */
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

  /** Senders often put a newline after each octet-counted frame; it is not part of a message. */
  private static int skipSeparators(byte[] b, int pos) {
    while (pos < b.length && (b[pos] == '\n' || b[pos] == '\r' || b[pos] == 0)) {
      pos++;
    }
    return pos;
  }

  private static List<Frame> octetFrames(byte[] b, int max) {
    List<Frame> frames = new ArrayList<>();
    int pos = 0;
    int index = 0;
    while (true) {
      pos = skipSeparators(b, pos);
      if (pos >= b.length) {
        return frames;
      }
      int sp = lengthEnd(b, pos);
      if (sp < 0) {
        frames.add(new Frame(pos, b.length, index, -1, new RecordRejected(
            FailureKind.MALFORMED_SYNTAX, "octet-counted syslog stream: expected the length of"
            + " message " + index + " (digits and a space) at byte " + pos + ", found '"
            + preview(b, pos) + "'")));
        return frames;
      }
      long len = Long.parseLong(new String(b, pos, sp - pos, StandardCharsets.US_ASCII));
      int start = sp + 1;
      long remaining = b.length - (long) start;
      if (len > remaining) {
        frames.add(new Frame(start, b.length, index, -1, new RecordRejected(
            FailureKind.MALFORMED_SYNTAX, "octet-counted syslog message " + index + " declares "
            + len + " bytes but only " + remaining + " remain: the message is truncated")));
        return frames;
      }
      int end = start + (int) len;
      RecordRejected tooLarge = LogLines.tooLarge((int) len, max, "syslog message " + index);
      frames.add(new Frame(start, end, index, -1, tooLarge));
      pos = end;
      index++;
    }
  }

  private static List<Frame> lineFrames(byte[] b, int max) {
    List<Frame> frames = new ArrayList<>();
    int index = 0;
    // The line of a message counts LFs only: NUL also separates messages, but not lines.
    int lineIndex = 0;
    int counted = 0;
    for (LogLines.Line line : LogLines.split(b, true)) {
      for (; counted < line.start(); counted++) {
        if (b[counted] == '\n') {
          lineIndex++;
        }
      }
      RecordRejected tooLarge =
          LogLines.tooLarge(line.length(), max, "syslog message on line " + (lineIndex + 1));
      frames.add(new Frame(line.start(), line.end(), index++, lineIndex, tooLarge));
    }
    return frames;
  }

  static String preview(byte[] b, int pos) {
    int end = Math.min(b.length, pos + 20);
    StringBuilder s = new StringBuilder();
    for (int i = pos; i < end; i++) {
      int c = b[i] & 0xff;
      s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return s.toString();
  }
}
