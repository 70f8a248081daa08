package dev.weft.io.files;

import java.time.Instant;
import org.apache.beam.sdk.io.FileIO;

/**
 * The observed time of a file's records: the file's last-modified time, when the records were
 * last written. Not the clock at read time, so that reading the same file again — on another
 * runner, tomorrow, after a crash — yields the same events, byte for byte (DESIGN principle 4);
 * a record with no time of its own gets this as its flagged FALLBACK event time, equally stable.
 */
final class FileTimes {
  private FileTimes() {}

  static Instant observed(FileIO.ReadableFile file) {
    long modified = file.getMetadata().lastModifiedMillis();
    // A file system that does not report modification times leaves only the clock.
    return modified > 0 ? Instant.ofEpochMilli(modified) : Instant.now();
  }
}
