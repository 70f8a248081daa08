package dev.weft.graph;

import dev.weft.model.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;

/**
 * When a write happened, for last-writer-wins: event time first, then the source's version (a
 * Kubernetes resourceVersion, compared as a number when both are numbers), then the event id so
 * that two writes never tie and the winner does not depend on arrival order.
 */
record WriteStamp(long timeMillis, Optional<String> version, String eventId) {

  static final Comparator<WriteStamp> ORDER = Comparator
      .comparingLong(WriteStamp::timeMillis)
      .thenComparing(WriteStamp::version, WriteStamp::compareVersions)
      .thenComparing(WriteStamp::eventId);

  boolean newerThan(WriteStamp other) {
    return other == null || ORDER.compare(this, other) > 0;
  }

  /** Absent sorts first; two numbers compare as numbers; otherwise as text. */
  static int compareVersions(Optional<String> a, Optional<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isPresent(), b.isPresent());
    }
    String x = a.get();
    String y = b.get();
    if (isNumber(x) && isNumber(y)) {
      int byLength = Integer.compare(stripZeros(x).length(), stripZeros(y).length());
      return byLength != 0 ? byLength : stripZeros(x).compareTo(stripZeros(y));
    }
    return x.compareTo(y);
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  private static String stripZeros(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(timeMillis);
    Wire.writeOptString(out, version);
    Wire.writeString(out, eventId);
  }

  static WriteStamp read(DataInputStream in) throws IOException {
    return new WriteStamp(in.readLong(), Wire.readOptString(in), Wire.readString(in));
  }
}
