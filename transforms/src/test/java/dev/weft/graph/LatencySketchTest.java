package dev.weft.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.Test;

/** Percentiles that do not depend on the order calls and partial sketches are merged in. */
public class LatencySketchTest {
  @Test
  public void smallCountsAreExactNearestRank() {
    LatencySketch s = LatencySketch.of(30);
    s.merge(LatencySketch.of(10)).merge(LatencySketch.of(20)).merge(LatencySketch.of(40));
    assertThat(s.quantile(0.5), equalTo(Optional.of(20L)));
    assertThat(s.quantile(0.99), equalTo(Optional.of(40L)));
  }

  @Test
  public void anyMergeTreeOfTheSameCallsGivesTheSamePercentilesAndBytes() throws Exception {
    Random r = new Random(7);
    List<Long> calls = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      calls.add((long) (r.nextGaussian() * 2000 + 10_000));
    }
    String expected = null;
    for (int trial = 0; trial < 5; trial++) {
      Collections.shuffle(calls, r);
      // Partial sketches of random sizes, merged in random order: what a runner's combine does.
      List<LatencySketch> parts = new ArrayList<>();
      int i = 0;
      while (i < calls.size()) {
        int n = 1 + r.nextInt(200);
        LatencySketch p = new LatencySketch();
        for (int k = i; k < Math.min(calls.size(), i + n); k++) {
          p.merge(LatencySketch.of(calls.get(k)));
        }
        parts.add(roundTrip(p));
        i += n;
      }
      Collections.shuffle(parts, r);
      LatencySketch all = new LatencySketch();
      parts.forEach(all::merge);
      String got = all.quantile(0.5) + "/" + all.quantile(0.9) + "/" + all.quantile(0.99) + "/"
          + all.count();
      if (expected == null) {
        expected = got;
      }
      assertThat(got, equalTo(expected));
    }
  }

  private static LatencySketch roundTrip(LatencySketch s) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    s.encode(new DataOutputStream(b));
    return LatencySketch.decode(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
  }
}
