package dev.weft.adapters;

import dev.weft.model.FailureKind;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a payload into lines at the byte level (LF, optionally NUL; a CR before the separator is
 * dropped, as Windows and Loghub files end lines with CRLF) and decodes one line at a time, so a
 * bad byte fails only its own line.
 */
final class LogLines {
  private LogLines() {}

  /** One line: bytes {@code [start, end)} of the payload, {@code index} counting from 0. */
  record Line(int start, int end, int index) {
    int length() {
      return end - start;
    }
  }

  /** The non-blank lines of {@code b}; blank lines separate records and are not records. */
  static List<Line> split(byte[] b, boolean nulSeparates) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int index = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '\n' || (nulSeparates && b[i] == 0)) {
        int end = i;
        while (end > start && b[end - 1] == '\r') {
          end--;
        }
        if (!isBlank(b, start, end)) {
          lines.add(new Line(start, end, index));
        }
        index++;
        start = i + 1;
      }
    }
    return lines;
  }

  static boolean isBlank(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Strict UTF-8 of bytes {@code [start, end)}; ASCII (the common case for logs) takes a fast
   * path without a decoder.
   */
  static String decode(byte[] b, int start, int end, String what) throws RecordRejected {
    boolean ascii = true;
    for (int i = start; i < end; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
    try {
      CharBuffer out = decoder.decode(in);
      return out.toString();
    } catch (MalformedInputException e) {
      int at = in.position();
      throw new RecordRejected(FailureKind.INVALID_ENCODING, what + " is not valid UTF-8: bad byte 0x"
          + String.format("%02x", b[at] & 0xff) + " at byte " + (at - start) + " of "
          + (end - start));
    } catch (CharacterCodingException e) {
      throw new RecordRejected(FailureKind.INVALID_ENCODING, what + " is not valid UTF-8");
    }
  }

  /** Fails when bytes {@code [start, end)} are not UTF-8; ASCII is checked without decoding. */
  static void checkUtf8(byte[] b, int start, int end, String what) throws RecordRejected {
    for (int i = start; i < end; i++) {
      if (b[i] < 0) {
        decode(b, start, end, what);
        return;
      }
    }
  }

  /** The failure for a message over the size limit, or null when it fits. */
  static RecordRejected tooLarge(int length, int max, String what) {
    return length <= max ? null : new RecordRejected(FailureKind.TOO_LARGE, what + " is "
        + length + " bytes, over the limit of " + max + " bytes for one log message");
  }

  static byte[] copy(byte[] b, Line line) {
    return java.util.Arrays.copyOfRange(b, line.start(), line.end());
  }
}
