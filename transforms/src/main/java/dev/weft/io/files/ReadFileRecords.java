package dev.weft.io.files;

import dev.weft.model.RawRecord;
import dev.weft.model.RawRecordCoder;
import dev.weft.model.Framing;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadableFileCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Reads the files matching a pattern as raw records of one format: each file one document, or
 * each line one record ({@link Framing#LINES}; a large file is cut into ranges at line starts and
 * the ranges are read in parallel), or each RFC 6587 frame
 * one record when the file is octet counted ({@link Framing#OCTET_COUNTED_OR_LINES}, else lines).
 * Records carry their file, line and byte offset as origin. Bounded.
 */
public class ReadFileRecords extends PTransform<PBegin, PCollection<RawRecord>> {
  /** How much of an oversize record is kept for its dead letter. */
  public static final int OVERSIZE_PREFIX_BYTES = 1 << 16;

  private final String format;
  private final String filepattern;
  private final Framing framing;
  private final int maxRecordBytes;
  private final String counterNamespace;
  private final long splitBytes;

  /**
   * @param format the format name, stamped into each record's origin
   * @param filepattern a path or glob understood by Beam's FileSystems
   * @param maxRecordBytes a record larger than this is not parsed but dead-lettered
   * @param counterNamespace where the reader counts what it skips (blank lines)
   */
  public ReadFileRecords(String format, String filepattern, Framing framing, int maxRecordBytes,
      String counterNamespace) {
    this(format, filepattern, framing, maxRecordBytes, counterNamespace,
        ReadLinesFn.DEFAULT_SPLIT_BYTES);
  }

  /** As above, with line files above {@code splitBytes} read in splits of that size. */
  public ReadFileRecords(String format, String filepattern, Framing framing, int maxRecordBytes,
      String counterNamespace, long splitBytes) {
    this.splitBytes = splitBytes;
    this.format = format;
    this.filepattern = filepattern;
    this.framing = framing;
    this.maxRecordBytes = maxRecordBytes;
    this.counterNamespace = counterNamespace;
  }

  /** NDJSON files are always read a line at a time, whatever the format's default. */
  public static Framing framingFor(String path, Framing formatDefault) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    if (p.endsWith(".ndjson") || p.endsWith(".jsonl") || p.endsWith(".ndjson.gz")
        || p.endsWith(".jsonl.gz")) {
      return Framing.LINES;
    }
    return formatDefault;
  }

  /** A file with all of its metadata, the last-modified time included. */
  private static final ReadableFileCoder FILE_CODER = ReadableFileCoder.of(MetadataCoderV2.of());

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    // FileIO.match infers the coder of the matched metadata from the registry, whose default
    // (MetadataCoder v1) drops lastModifiedMillis: on a runner that encodes between steps (Flink,
    // Spark) every file would be observed at the clock, so records with no time of their own would
    // differ from the Direct runner's. v2 keeps it; registering it here is enough for a match.
    input.getPipeline().getCoderRegistry()
        .registerCoderForClass(MatchResult.Metadata.class, MetadataCoderV2.of());
    PCollection<FileIO.ReadableFile> files = input
        .apply("Match " + format + " files",
            FileIO.match().filepattern(filepattern)
                .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("Open " + format + " files", FileIO.readMatches())
        // Likewise the default ReadableFileCoder (metadata v1 inside).
        .setCoder(FILE_CODER);
    if (framing == Framing.DOCUMENT) {
      return files.apply("Read " + format + " documents",
          ParDo.of(new ReadDocumentFn(format, maxRecordBytes, OVERSIZE_PREFIX_BYTES)))
          .setCoder(RawRecordCoder.of());
    }
    if (framing == Framing.OCTET_COUNTED_OR_LINES) {
      PCollection<RawRecord> framed = files
          .apply("Octet-counted " + format + " files",
              Filter.by((FileIO.ReadableFile f) -> ReadOctetFramesFn.startsWithFrame(f)))
          .setCoder(FILE_CODER)
          .apply("Read " + format + " frames", ParDo.of(
              new ReadOctetFramesFn(format, maxRecordBytes, OVERSIZE_PREFIX_BYTES)))
          .setCoder(RawRecordCoder.of());
      PCollection<RawRecord> lined = readLines(files
          .apply("Line-framed " + format + " files",
              Filter.by((FileIO.ReadableFile f) -> !ReadOctetFramesFn.startsWithFrame(f)))
          .setCoder(FILE_CODER));
      return PCollectionList.of(framed).and(lined).apply("All " + format + " records",
          Flatten.pCollections());
    }
    return readLines(files);
  }

  private PCollection<RawRecord> readLines(PCollection<FileIO.ReadableFile> files) {
    // Large files are read in parallel splits; small ones in one pass (see ReadSmallFileLinesFn).
    ReadLinesFn lines = new ReadLinesFn(format, maxRecordBytes, OVERSIZE_PREFIX_BYTES,
        counterNamespace);
    long limit = splitBytes;
    PCollection<RawRecord> small = files
        .apply("Small " + format + " files", Filter.by((FileIO.ReadableFile f) -> isSmall(f, limit)))
        .setCoder(FILE_CODER)
        .apply("Read " + format + " lines", ParDo.of(new ReadSmallFileLinesFn(lines, format)))
        .setCoder(RawRecordCoder.of());
    PCollection<RawRecord> large = files
        .apply("Large " + format + " files", Filter.by((FileIO.ReadableFile f) -> !isSmall(f, limit)))
        .setCoder(FILE_CODER)
        .apply("Cut " + format + " files at lines", ParDo.of(new FileLineRanges(splitBytes)))
        .setCoder(KvCoder.of(FILE_CODER, new LineRange.Coder()))
        // Spreads the ranges over workers (a runner may otherwise read them where they were cut).
        .apply("Spread " + format + " ranges", Reshuffle.viaRandomKey())
        .apply("Read " + format + " line ranges", ParDo.of(lines))
        .setCoder(RawRecordCoder.of());
    return PCollectionList.of(small).and(large).apply("All " + format + " lines",
        Flatten.pCollections());
  }

  private static boolean isSmall(FileIO.ReadableFile f, long splitBytes) {
    return f.getMetadata().sizeBytes() <= splitBytes
        || f.getCompression() != org.apache.beam.sdk.io.Compression.UNCOMPRESSED;
  }
}
