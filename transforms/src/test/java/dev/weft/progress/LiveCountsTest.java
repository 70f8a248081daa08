package dev.weft.progress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Test;

/** The in-JVM counts behind the progress line: runs stay apart, counts from many threads add up. */
public class LiveCountsTest {

  @Test
  public void twoRunsInOneJvmDoNotMix() {
    try {
      LiveCounts a = LiveCounts.of("run-a");
      LiveCounts b = LiveCounts.of("run-b");
      a.countNormalized(Instant.parse("2026-01-01T00:00:05Z").toEpochMilli());
      a.countNormalized(Instant.parse("2026-01-01T00:00:01Z").toEpochMilli());
      a.countDeadLettered();
      b.countDuplicate();
      b.countLate();
      // A DoFn copy deserialized by the runner finds the same counts by the id alone.
      LiveCounts.of("run-a").countDuplicate();

      LiveCounts a2 = LiveCounts.of("run-a");
      assertThat(List.of(a2.read(), a2.normalized(), a2.deadLettered(), a2.duplicates(),
          a2.late()), equalTo(List.of(3L, 2L, 1L, 1L, 0L)));
      assertThat(a2.newestEventMillis(), equalTo(OptionalLong.of(
          Instant.parse("2026-01-01T00:00:05Z").toEpochMilli())));
      LiveCounts b2 = LiveCounts.of("run-b");
      assertThat(List.of(b2.read(), b2.normalized(), b2.deadLettered(), b2.duplicates(),
          b2.late()), equalTo(List.of(0L, 0L, 0L, 1L, 1L)));
      assertThat(b2.newestEventMillis(), equalTo(OptionalLong.empty()));
    } finally {
      LiveCounts.forget("run-a");
      LiveCounts.forget("run-b");
    }
    assertThat("a forgotten run starts again from zero", LiveCounts.of("run-a").read(),
        equalTo(0L));
    LiveCounts.forget("run-a");
  }

  @Test
  public void noRunIdMeansNoCounts() {
    assertThat(LiveCounts.orNull(null) == null, equalTo(true));
  }

  @Test
  public void countsFromManyThreadsAddUp() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long base = t * 1_000_000L;
        done.add(pool.submit(() -> {
          LiveCounts c = LiveCounts.of("run-threads");
          for (int i = 0; i < 10_000; i++) {
            c.countNormalized(base + i);
            if (i % 10 == 0) {
              c.countDeadLettered();
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      LiveCounts s = LiveCounts.of("run-threads");
      assertThat(s.normalized(), equalTo(40_000L));
      assertThat(s.deadLettered(), equalTo(4_000L));
      assertThat(s.read(), equalTo(44_000L));
      assertThat(s.newestEventMillis(), equalTo(OptionalLong.of(3_009_999L)));
    } finally {
      pool.shutdownNow();
      LiveCounts.forget("run-threads");
    }
  }
}
