package dev.weft.io.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Cuts a large line file into ranges of about {@code splitBytes}, each starting exactly at a line
 * start and knowing the number of its first line, so the ranges can be read in parallel and every
 * record still carries its true line. One sequential pass counts the newlines (no record is
 * built; a 100 MiB file takes a fraction of a second).
 *
 * <p>Why not a splittable DoFn: the Direct runner checkpoints one every 100 outputs or second,
 * and each checkpoint resumes through state and a timer; a 66 MiB file (113k lines) took more
 * than 14 minutes that way, against 104 s for a 62 MiB file read in one pass (issue 11).
 */
final class FileLineRanges extends DoFn<FileIO.ReadableFile, KV<FileIO.ReadableFile, LineRange>> {
  private final long splitBytes;

  FileLineRanges(long splitBytes) {
    this.splitBytes = splitBytes;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file,
      OutputReceiver<KV<FileIO.ReadableFile, LineRange>> out) throws IOException {
    long size = file.getMetadata().sizeBytes();
    try (InputStream in = Channels.newInputStream(file.open())) {
      byte[] buffer = new byte[1 << 16];
      long position = 0;
      long line = 1;
      long rangeStart = 0;
      long rangeFirstLine = 1;
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line++;
            long next = position + i + 1;
            if (next - rangeStart >= splitBytes && next < size) {
              out.output(KV.of(file, new LineRange(rangeStart, next, rangeFirstLine)));
              rangeStart = next;
              rangeFirstLine = line;
            }
          }
        }
        position += n;
      }
      out.output(KV.of(file, new LineRange(rangeStart, Math.max(position, rangeStart + 1),
          rangeFirstLine)));
    }
  }
}
