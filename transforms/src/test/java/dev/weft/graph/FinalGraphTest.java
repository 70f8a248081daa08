package dev.weft.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.model.EdgeKind;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphPane;
import dev.weft.model.PaneTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class FinalGraphTest {
  private static final Instant W = Instant.parse("2024-01-01T00:00:00Z");

  private static GraphEdge call(long revision, PaneTiming timing, long count, long errors) {
    return new GraphEdge("service:a", "calls", "service:b", EdgeKind.CALL,
        new GraphPane(W, W.plusSeconds(60), timing, revision, false, revision), count, errors,
        Optional.of(10L), Optional.of(20L), Optional.of(30L), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  @Test
  public void theHighestRevisionWinsWhateverTheArrivalOrder() {
    List<GraphEdge> revisions = new ArrayList<>(List.of(
        call(0, PaneTiming.EARLY, 1, 0), call(1, PaneTiming.ON_TIME, 3, 1),
        call(2, PaneTiming.LATE, 4, 2)));
    String inOrder = FinalGraph.render(List.of(), revisions);
    Collections.reverse(revisions);
    assertThat(FinalGraph.render(List.of(), revisions), equalTo(inOrder));
    assertThat(inOrder.replaceAll("\\s+", ""),
        containsString("\"kind\":\"CALL\",\"count\":4,\"errors\":2"));
  }

  @Test
  public void edgeJsonLinesHaveAFixedFieldOrder() {
    assertThat(call(2, PaneTiming.LATE, 4, 2).toJson(), equalTo(
        "{\"upsertKey\":\"edge|calls|service:a|service:b|2024-01-01T00:00:00Z\","
            + "\"from\":\"service:a\",\"relation\":\"calls\",\"to\":\"service:b\","
            + "\"kind\":\"CALL\",\"windowStart\":\"2024-01-01T00:00:00Z\","
            + "\"windowEnd\":\"2024-01-01T00:01:00Z\",\"timing\":\"LATE\",\"paneIndex\":2,"
            + "\"final\":false,\"revision\":2,\"count\":4,\"errors\":2,\"p50Micros\":10,"
            + "\"p90Micros\":20,\"p99Micros\":30}"));
  }
}
