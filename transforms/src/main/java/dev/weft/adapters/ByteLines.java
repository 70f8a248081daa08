package dev.weft.adapters;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Line boundaries of the input, counted as the CSV parser counts them (LF, CRLF and a lone CR
 * each end a line), to cut a record's bytes out for its dead letter and to find bad UTF-8.
 */
final class ByteLines {
  private final byte[] bytes;
  private final int[] starts;
  private final int count;
  private final boolean allValid;

  ByteLines(byte[] bytes) {
    this.bytes = bytes;
    int[] s = new int[16];
    int n = 0;
    s[n++] = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      boolean end = b == '\n' || (b == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n'));
      if (end && i + 1 < bytes.length) {
        if (n == s.length) {
          s = Arrays.copyOf(s, n * 2);
        }
        s[n++] = i + 1;
      }
    }
    this.starts = s;
    this.count = n;
    this.allValid = Utf8.isValid(bytes);
  }

  long count() {
    return count;
  }

  /** Bytes of lines {@code from..to} (1-based, inclusive), without the final line break. */
  byte[] slice(long from, long to) {
    int a = starts[(int) Math.min(Math.max(from, 1), count) - 1];
    int b = to >= count ? bytes.length : starts[(int) to];
    while (b > a && (bytes[b - 1] == '\n' || bytes[b - 1] == '\r')) {
      b--;
    }
    return Arrays.copyOfRange(bytes, a, b);
  }

  Optional<String> firstInvalidUtf8(long from, long to) {
    if (allValid) {
      return Optional.empty();
    }
    try {
      Utf8.decode(slice(from, to));
      return Optional.empty();
    } catch (RecordRejected e) {
      return Optional.of(e.getMessage().replaceFirst("^the input is not valid UTF-8: ", "")
          + " of the record");
    }
  }

  /** One object per line when the first non-blank line is a whole JSON value of its own. */
  static boolean looksLikeJsonLines(byte[] bytes) {
    ByteLines lines = new ByteLines(bytes);
    for (long n = 1; n <= lines.count(); n++) {
      byte[] line = lines.slice(n, n);
      if (JsonInput.isBlank(line)) {
        continue;
      }
      try {
        JsonInput.JSON.readTree(line);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }
}
