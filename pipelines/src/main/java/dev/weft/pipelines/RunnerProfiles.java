package dev.weft.pipelines;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/**
 * Which runners this weft.jar holds, and which Maven profile puts a missing one in. Beam alone
 * says only "supported pipeline runners [DirectRunner]"; the user needs to know how to build a
 * jar that has the runner they asked for.
 */
final class RunnerProfiles {
  private RunnerProfiles() {}

  /** Runner key (lower case, without the "runner" suffix) to the profile of the pipelines pom. */
  static final Map<String, String> PROFILES =
      Map.of("flink", "flink", "spark", "spark", "dataflow", "dataflow");

  /** The runners registered in this jar: key ({@code direct}, ...) to simple class name. */
  static Map<String, String> available() {
    Map<String, String> runners = new TreeMap<>();
    for (PipelineRunnerRegistrar r : ServiceLoader.load(PipelineRunnerRegistrar.class)) {
      for (Class<? extends PipelineRunner<?>> c : r.getPipelineRunners()) {
        runners.put(key(c.getSimpleName()), c.getSimpleName());
      }
    }
    return runners;
  }

  /** The value of {@code --runner} in the arguments, if any. */
  static Optional<String> requested(String[] args) {
    String found = null;
    for (String a : args) {
      if (a.startsWith("--runner=")) {
        found = a.substring("--runner=".length());
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Why {@code requested} cannot run with the {@code available} runners, or empty when it can.
   * Beam accepts a simple name with or without "Runner", any case, or a class name.
   */
  static Optional<String> problem(String requested, Map<String, String> available) {
    String key = key(requested.substring(requested.lastIndexOf('.') + 1));
    if (available.containsKey(key) || loadable(requested)) {
      return Optional.empty();
    }
    String profile = PROFILES.get(key);
    if (profile != null) {
      return Optional.of("--runner=" + requested + ": this weft.jar was built without the "
          + requested.substring(requested.lastIndexOf('.') + 1) + "; build it with the "
          + profile + " profile: mvn -B -q -DskipTests -P" + profile + " package "
          + "(-Pflink,spark,dataflow puts all three in)");
    }
    return Optional.of("--runner=" + requested + " is not a runner this weft.jar knows; it has: "
        + names(available) + " (and with a build profile: -Pflink FlinkRunner, -Pspark "
        + "SparkRunner, -Pdataflow DataflowRunner)");
  }

  private static String names(Map<String, String> available) {
    return String.join(", ", new TreeSet<>(available.values()));
  }

  private static String key(String simpleName) {
    String k = simpleName.toLowerCase(Locale.ROOT);
    return k.endsWith("runner") ? k.substring(0, k.length() - "runner".length()) : k;
  }

  private static boolean loadable(String className) {
    if (!className.contains(".")) {
      return false;
    }
    try {
      return PipelineRunner.class.isAssignableFrom(Class.forName(className));
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
