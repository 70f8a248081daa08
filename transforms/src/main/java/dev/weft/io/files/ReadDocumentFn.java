package dev.weft.io.files;

import dev.weft.model.RawRecord;
import dev.weft.model.Origin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads a whole file as one document, up to {@code maxRecordBytes}; a larger file becomes an
 * oversize record holding its first bytes (dead-lettered downstream), never an out-of-memory.
 */
final class ReadDocumentFn extends DoFn<FileIO.ReadableFile, RawRecord> {
  private final String format;
  private final int maxRecordBytes;
  private final int oversizePrefixBytes;

  ReadDocumentFn(String format, int maxRecordBytes, int oversizePrefixBytes) {
    this.format = format;
    this.maxRecordBytes = maxRecordBytes;
    this.oversizePrefixBytes = Math.min(oversizePrefixBytes, maxRecordBytes);
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
      throws IOException {
    String path = file.getMetadata().resourceId().toString();
    try (InputStream in = Channels.newInputStream(file.open())) {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        long room = maxRecordBytes - (long) kept.size();
        if (room > 0) {
          kept.write(buf, 0, (int) Math.min(room, n));
        }
        total += n;
      }
      byte[] bytes = kept.toByteArray();
      if (total > maxRecordBytes) {
        bytes = Arrays.copyOf(bytes, oversizePrefixBytes);
      }
      out.output(new RawRecord(bytes, Origin.file(format, path), FileTimes.observed(file),
          total));
    }
  }
}
