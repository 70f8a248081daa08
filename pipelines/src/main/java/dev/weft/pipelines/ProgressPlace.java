package dev.weft.pipelines;


/**
 * Whether a run's workers live in the command's own JVM, where {@link dev.weft.progress.LiveCounts} sees
 * their counts: the Direct runner, Flink's embedded mini-cluster ({@code --flinkMaster=[local]},
 * or {@code [auto]}, its default, which is embedded outside a cluster) and Spark's local master
 * ({@code --sparkMaster=local...}, its default). Decided from the arguments, because the Flink
 * and Spark option classes are only in the jar when it was built with their profile.
 */
final class ProgressPlace {
  private ProgressPlace() {}

  static boolean workersInThisJvm(String runner, String[] args) {
    switch (runner) {
      case "DirectRunner":
      case "TestPipeline":
        return true;
      case "FlinkRunner": {
        String master = ArgValues.last(args, "flinkMaster").orElse("[auto]");
        return master.equals("[local]") || master.equals("[auto]");
      }
      case "SparkRunner":
        return ArgValues.last(args, "sparkMaster").orElse("local[4]").startsWith("local");
      default:
        return false;
    }
  }

  /** Why there are no progress lines, for a run whose workers are elsewhere. */
  static String elsewhere(String runner) {
    String where = switch (runner) {
      case "FlinkRunner" -> "the Flink web UI";
      case "SparkRunner" -> "the Spark UI";
      case "DataflowRunner" -> "the Dataflow console";
      default -> "the runner's own UI";
    };
    return runner + " runs the workers outside this process: their progress is shown by "
        + where;
  }
}
