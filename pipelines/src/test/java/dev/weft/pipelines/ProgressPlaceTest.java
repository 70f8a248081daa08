package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.Test;

/** Which runs can show live counts from this JVM, by runner and master. */
public class ProgressPlaceTest {
  private static boolean here(String runner, String... args) {
    return ProgressPlace.workersInThisJvm(runner, args);
  }

  @Test
  public void directEmbeddedFlinkAndSparkLocalRunHere() {
    assertThat(here("DirectRunner"), equalTo(true));
    assertThat(here("FlinkRunner"), equalTo(true));
    assertThat(here("FlinkRunner", "--flinkMaster=[local]"), equalTo(true));
    assertThat(here("SparkRunner"), equalTo(true));
    assertThat(here("SparkRunner", "--sparkMaster=local[2]"), equalTo(true));
  }

  @Test
  public void clustersRunElsewhere() {
    assertThat(here("FlinkRunner", "--flinkMaster=jobmanager:8081"), equalTo(false));
    assertThat(here("FlinkRunner", "--flinkMaster=[local]", "--flinkMaster=jm:8081"),
        equalTo(false));
    assertThat(here("SparkRunner", "--sparkMaster=spark://master:7077"), equalTo(false));
    assertThat(here("DataflowRunner"), equalTo(false));
    assertThat(ProgressPlace.elsewhere("FlinkRunner"), equalTo("FlinkRunner runs the workers "
        + "outside this process: their progress is shown by the Flink web UI"));
  }
}
