package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.options.WeftOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A streaming job restored from a checkpoint finds each operator's state by its step name, so the
 * same arguments must give the same step names at any time. (The overload spill's write step once
 * carried the run's start time in its name: every restore on Flink failed with "operator is not
 * available in the new program".)
 */
public class StableStepNamesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private List<String> stepNames(String output) throws Exception {
    WeftOptions options = PipelineOptionsFactory.fromArgs(
            "--sources=zipkin:kafka://127.0.0.1:9/spans?group.id=weft",
            "--sources=json-logs:kafka://127.0.0.1:9/logs?group.id=weft",
            "--output=" + output, "--spillLocation=" + output + "-spill")
        .withValidation().as(WeftOptions.class);
    Pipeline p = Pipeline.create(options);
    WeftPipeline.build(p, options, new AdapterCatalog(options));
    List<String> names = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
      }
    });
    return names;
  }

  @Test
  public void theSameArgumentsGiveTheSameStepNamesAtAnotherTime() throws Exception {
    String output = tmp.getRoot().toPath().resolve("out").toString();
    List<String> first = stepNames(output);
    // Another second of the wall clock: anything named after the start time would differ.
    long second = Instant.now().getEpochSecond();
    while (Instant.now().getEpochSecond() == second) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    List<String> renamed = new ArrayList<>(stepNames(output));
    renamed.removeAll(first);
    assertThat("steps named differently the second time", renamed, equalTo(List.of()));
  }
}
