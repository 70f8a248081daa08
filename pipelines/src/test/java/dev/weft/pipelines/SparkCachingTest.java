package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.hasItemInArray;
import static org.hamcrest.Matchers.not;

import org.junit.Test;

public class SparkCachingTest {

  @Test
  public void sparkRunsSpillCachedPartitionsToDiskInsteadOfRecomputingThem() {
    String[] args = {"--sources=zipkin:x.ndjson", "--runner=SparkRunner"};
    assertThat(SparkCaching.keepCachedPartitions(args),
        hasItemInArray("--storageLevel=MEMORY_AND_DISK"));
  }

  @Test
  public void aUsersOwnStorageLevelAndOtherRunnersAreLeftAlone() {
    String[] own = {"--runner=SparkRunner", "--storageLevel=MEMORY_ONLY"};
    assertThat(SparkCaching.keepCachedPartitions(own),
        arrayContaining("--runner=SparkRunner", "--storageLevel=MEMORY_ONLY"));
    String[] flink = {"--runner=FlinkRunner"};
    assertThat(SparkCaching.keepCachedPartitions(flink),
        not(hasItemInArray("--storageLevel=MEMORY_AND_DISK")));
  }
}
