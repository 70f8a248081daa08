package dev.weft.io.files;

import dev.weft.model.RawRecord;
import dev.weft.model.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.Optional;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads the lines of a file that is too small to be worth splitting, in one pass and one bundle,
 * streaming like {@link ReadLinesFn} (same line rules, same bounded memory). Why it exists: a
 * splittable reader is checkpointed by the Direct runner every hundred lines, and every small
 * bundle then travels alone through each downstream step, whose per-bundle set-up cost dominated
 * runs of a few thousand lines.
 */
final class ReadSmallFileLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
  private final ReadLinesFn lines;
  private final String format;

  ReadSmallFileLinesFn(ReadLinesFn lines, String format) {
    this.lines = lines;
    this.format = format;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
      throws IOException {
    String path = file.getMetadata().resourceId().toString();
    if (file.getMetadata().sizeBytes() == 0) {
      // See ReadLinesFn: an empty file is one empty record, dead-lettered by the adapter.
      out.output(new RawRecord(new byte[0], Origin.fileLine(format, path, Optional.of(1L), 0),
          FileTimes.observed(file)));
      return;
    }
    try (InputStream in = Channels.newInputStream(file.open())) {
      lines.emitLines(in, path, FileTimes.observed(file), 0, 1, (start, end, number) -> true, out);
    }
  }
}
