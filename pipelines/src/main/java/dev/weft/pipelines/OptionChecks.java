package dev.weft.pipelines;

import dev.weft.options.WeftOptions;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every option of a run, checked before the pipeline is built: each problem is named by the flag
 * as the user wrote it, with its unit and what the value means, so nothing fails mid-run (a
 * negative payload size used to crash in the middle of a run) and no stack trace reaches the
 * user. All problems are reported together, one per line.
 */
final class OptionChecks {
  private OptionChecks() {}

  /** A whole-number option: its flag, how to read it, its range, unit and meaning. */
  record Bound(String flag, Function<WeftOptions, Number> value, long min, long max, String unit,
      String what) {}

  static final List<Bound> BOUNDS = List.of(
      new Bound("windowSeconds", WeftOptions::getWindowSeconds, 1, Integer.MAX_VALUE, "seconds",
          "the size of a graph window"),
      new Bound("allowedLatenessSeconds", WeftOptions::getAllowedLatenessSeconds, 0,
          Integer.MAX_VALUE, "seconds", "how far behind an event may still correct its window"),
      new Bound("earlyFiringSeconds", WeftOptions::getEarlyFiringSeconds, 0, Integer.MAX_VALUE,
          "seconds", "the delay of provisional early panes, 0 for none"),
      new Bound("dedupHorizonSeconds", WeftOptions::getDedupHorizonSeconds, 0, Integer.MAX_VALUE,
          "seconds", "how long an event id is remembered for deduplication"),
      new Bound("pairingBoundSeconds", WeftOptions::getPairingBoundSeconds, 0, Integer.MAX_VALUE,
          "seconds", "how long a client span waits for its server half"),
      new Bound("orderBufferCap", WeftOptions::getOrderBufferCap, 1, Integer.MAX_VALUE, "events",
          "the per-entity ordering buffer"),
      new Bound("identityShards", WeftOptions::getIdentityShards, 1, Integer.MAX_VALUE, "shards",
          "how many keys identity state is spread over"),
      new Bound("watermarkDelaySeconds", WeftOptions::getWatermarkDelaySeconds, 0, Long.MAX_VALUE,
          "seconds", "how far a broker source's watermark trails its newest record"),
      new Bound("maxRecordBytes", WeftOptions::getMaxRecordBytes, 1, Integer.MAX_VALUE, "bytes",
          "the largest record that is parsed"),
      new Bound("deadLetterPayloadBytes", WeftOptions::getDeadLetterPayloadBytes, 0,
          Integer.MAX_VALUE, "bytes", "how much of a failed record a dead letter keeps"),
      new Bound("progressSeconds", WeftOptions::getProgressSeconds, 1, Integer.MAX_VALUE,
          "seconds", "how often a progress line is printed"),
      new Bound("summarySeconds", WeftOptions::getSummarySeconds, 1, Integer.MAX_VALUE,
          "seconds", "how often a streaming run rewrites summary.json"),
      new Bound("overloadBudget", WeftOptions::getOverloadBudget, 0, Long.MAX_VALUE, "events",
          "per emitter per graph window, 0 for no budget"),
      new Bound("overloadSampleEvery", WeftOptions::getOverloadSampleEvery, 2,
          Integer.MAX_VALUE, "events", "one in this many is kept beyond the budget"));

  static final List<String> BOOLEANS = List.of("quiet", "allowAllDeadLettered");

  /**
   * Checks what Beam's own parser would reject with a message that does not name the flag
   * (a number that is not a number, a runner that is not in the jar), before it runs.
   */
  static void checkArgs(String[] args) {
    List<String> problems = new ArrayList<>();
    RunnerProfiles.requested(args)
        .flatMap(r -> RunnerProfiles.problem(r, RunnerProfiles.available()))
        .ifPresent(problems::add);
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        continue;
      }
      String flag = a.substring(2, eq);
      String value = a.substring(eq + 1).strip();
      for (Bound b : BOUNDS) {
        if (b.flag().equals(flag)) {
          numberSyntax(b, value).ifPresent(problems::add);
        }
      }
      if (BOOLEANS.contains(flag) && !value.equalsIgnoreCase("true")
          && !value.equalsIgnoreCase("false")) {
        problems.add("--" + flag + "=" + value + ": expected true or false (or --" + flag
            + " alone)");
      }
    }
    fail(problems);
  }

  private static Optional<String> numberSyntax(Bound b, String value) {
    String shown = "--" + b.flag() + "=" + value;
    if (value.isEmpty()) {
      return Optional.of(shown + ": needs a whole number of " + b.unit() + " ("
          + b.what() + ")");
    }
    try {
      long v = Long.parseLong(value);
      if (v > b.max()) {
        return Optional.of(shown + ": at most " + b.max() + " " + b.unit());
      }
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.of(shown + ": not a whole number of " + b.unit() + " ("
          + b.what() + ")");
    }
  }

  /** Ranges, relations between options, the files the options name, and the output directory. */
  static void check(WeftOptions o) {
    List<String> problems = new ArrayList<>();
    for (Bound b : BOUNDS) {
      Number n = b.value().apply(o);
      if (n == null) {
        if (!b.flag().equals("watermarkDelaySeconds")) {
          problems.add("--" + b.flag() + ": needs a whole number of " + b.unit() + " ("
              + b.what() + ")");
        }
      } else if (n.longValue() < b.min()) {
        problems.add("--" + b.flag() + "=" + n + ": must be at least " + b.min() + " (in "
            + b.unit() + ": " + b.what() + ")");
      }
    }
    Integer horizon = o.getDedupHorizonSeconds();
    Integer lateness = o.getAllowedLatenessSeconds();
    if (horizon != null && lateness != null && horizon >= 0 && horizon < lateness) {
      problems.add("--dedupHorizonSeconds=" + horizon + " is shorter than "
          + "--allowedLatenessSeconds=" + lateness + ": an event still accepted as late must "
          + "still be checked for duplicates; give at least " + lateness + " seconds");
    }
    String mode = o.getBigQueryWriteMode();
    if (mode == null || !List.of("UPSERT", "CHANGELOG").contains(mode.toUpperCase(Locale.ROOT))) {
      problems.add("--bigQueryWriteMode=" + mode + ": expected UPSERT or CHANGELOG");
    }
    try {
      dev.weft.overload.OverloadAction.parse(String.valueOf(o.getOverloadAction()));
    } catch (IllegalArgumentException e) {
      problems.add("--overloadAction=" + o.getOverloadAction() + ": " + e.getMessage());
    }
    localFile("policy", o.getPolicy()).ifPresent(problems::add);
    localFile("patterns", o.getPatterns()).ifPresent(problems::add);
    localFile("jsonLogFields", o.getJsonLogFields()).ifPresent(problems::add);
    localFile("kafkaPropertiesFile", o.getKafkaPropertiesFile()).ifPresent(problems::add);
    if (o.getInventoryMapping() != null) {
      for (String f : o.getInventoryMapping()) {
        localFile("inventoryMapping", f).ifPresent(problems::add);
      }
    }
    writableDirectory(o.getOutput()).ifPresent(problems::add);
    fail(problems);
  }

  private static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidConfiguration(String.join("\n", problems));
    }
  }

  /** True for a location on another file system (gs://, s3://, hdfs://): checked by the runner. */
  static boolean remote(String location) {
    return location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") && !location.startsWith("file://");
  }

  private static Optional<String> localFile(String flag, String value) {
    if (value == null || remote(value)) {
      return Optional.empty();
    }
    Path p;
    try {
      p = Paths.get(value.startsWith("file://") ? value.substring("file://".length()) : value);
    } catch (InvalidPathException e) {
      return Optional.of("--" + flag + "=" + value + ": not a file path ("
          + e.getReason() + ")");
    }
    if (!Files.exists(p)) {
      return Optional.of("--" + flag + "=" + value + ": no such file");
    }
    if (!Files.isRegularFile(p)) {
      return Optional.of("--" + flag + "=" + value + ": is a directory, not a file");
    }
    if (!Files.isReadable(p)) {
      return Optional.of("--" + flag + "=" + value + ": the file is not readable");
    }
    return Optional.empty();
  }

  /**
   * A local output directory must be a directory we can write in: it is created when missing and
   * probed with a file, so a wrong path fails here in a second instead of after the run, in a
   * Beam stack trace. A remote location (gs://, s3://, hdfs://) is left to the runner.
   */
  static Optional<String> writableDirectory(String output) {
    if (output == null || output.isBlank()) {
      return Optional.of("--output: needs a directory");
    }
    if (remote(output)) {
      return Optional.empty();
    }
    String shown = "--output=" + output;
    Path dir;
    try {
      dir = Paths.get(output.startsWith("file://") ? output.substring("file://".length()) : output);
    } catch (InvalidPathException e) {
      return Optional.of(shown + ": not a directory path (" + e.getReason() + ")");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      return Optional.of(shown + ": is a file, not a directory (give a directory; it "
          + "is created when missing)");
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".weft-write-check", ".tmp");
      Files.delete(probe);
      return Optional.empty();
    } catch (FileAlreadyExistsException e) {
      return Optional.of(shown + ": cannot create the directory: " + e.getFile()
          + " exists and is not a directory");
    } catch (FileSystemException e) {
      String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      return Optional.of(shown + ": cannot create or write the directory ("
          + (e.getFile() == null ? "" : e.getFile() + ": ") + why + ")");
    } catch (IOException e) {
      return Optional.of(shown + ": cannot create or write the directory ("
          + e.getMessage() + ")");
    }
  }
}
