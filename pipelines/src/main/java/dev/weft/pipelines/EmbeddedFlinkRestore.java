package dev.weft.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes {@code --savepointPath} work for an embedded Flink run, so a killed job can be restarted
 * from its last retained checkpoint (or a savepoint).
 *
 * <p>Why this exists: Beam 2.70's FlinkRunner applies {@code --savepointPath} only when it submits
 * to a remote JobManager ({@code --flinkMaster=HOST:PORT}); for the embedded mini-cluster
 * ({@code [local]}, and {@code [auto]} outside a Flink cluster) it ignores the option without a word
 * and the job starts with empty state. Flink itself restores any job whose configuration carries
 * {@code execution.savepoint.path}, and Beam hands the embedded cluster the configuration it reads
 * from {@code --flinkConfDir}. So for an embedded run with {@code --savepointPath}, Weft writes a
 * Flink configuration directory holding the user's own {@code flink-conf.yaml} (when
 * {@code --flinkConfDir} names one) plus that key, and points {@code --flinkConfDir} at it.
 * {@code --allowNonRestoredState=true} becomes {@code execution.savepoint.ignore-unclaimed-state}.
 *
 * <p>A remote master and {@code flink run -s} need none of this and are left alone.
 */
final class EmbeddedFlinkRestore {
  static final String SAVEPOINT_KEY = "execution.savepoint.path";
  static final String IGNORE_UNCLAIMED_KEY = "execution.savepoint.ignore-unclaimed-state";

  private EmbeddedFlinkRestore() {}

  /** The arguments to run with, and what was done (empty when nothing was). */
  record Result(String[] args, Optional<String> note) {}

  static Result apply(String[] args) {
    Optional<String> savepoint = ArgValues.last(args, "savepointPath");
    String runner = ArgValues.last(args, "runner").orElse("");
    if (savepoint.isEmpty() || !runner.endsWith("FlinkRunner") || !embedded(args)) {
      return new Result(args, Optional.empty());
    }
    Optional<String> userConfDir = ArgValues.last(args, "flinkConfDir");
    StringBuilder conf = new StringBuilder();
    if (userConfDir.isPresent()) {
      conf.append(userConfiguration(Path.of(userConfDir.get())));
    }
    conf.append("\n# Added by weft: restore the embedded job from --savepointPath.\n")
        .append(SAVEPOINT_KEY).append(": ").append(savepoint.get()).append('\n');
    if (ArgValues.last(args, "allowNonRestoredState").map(v -> v.isEmpty() || v.equals("true"))
        .orElse(false)) {
      conf.append(IGNORE_UNCLAIMED_KEY).append(": true\n");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("weft-flink-conf-");
      Path file = Files.writeString(dir.resolve("flink-conf.yaml"), conf, StandardCharsets.UTF_8);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new InvalidConfiguration("--savepointPath: cannot write the Flink configuration that "
          + "carries it to the embedded cluster: " + e.getMessage(), e);
    }
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (!a.startsWith("--flinkConfDir=")) {
        out.add(a);
      }
    }
    out.add("--flinkConfDir=" + dir);
    return new Result(out.toArray(new String[0]), Optional.of("restoring the embedded Flink job "
        + "from " + savepoint.get()));
  }

  /** {@code [local]}, or {@code [auto]} (the default), which is embedded outside a cluster. */
  private static boolean embedded(String[] args) {
    String master = ArgValues.last(args, "flinkMaster").orElse("[auto]");
    return master.equals("[local]") || master.equals("[auto]");
  }

  private static String userConfiguration(Path dir) {
    Path legacy = dir.resolve("flink-conf.yaml");
    try {
      if (Files.isRegularFile(legacy)) {
        return Files.readString(legacy, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new InvalidConfiguration("--flinkConfDir=" + dir + ": cannot read flink-conf.yaml: "
          + e.getMessage(), e);
    }
    if (Files.isRegularFile(dir.resolve("config.yaml"))) {
      throw new InvalidConfiguration("--flinkConfDir=" + dir + " holds config.yaml: with "
          + "--savepointPath on an embedded run, weft adds " + SAVEPOINT_KEY + " to a copy of "
          + "flink-conf.yaml; add '" + SAVEPOINT_KEY + ": PATH' to your config.yaml instead");
    }
    return "";
  }
}
