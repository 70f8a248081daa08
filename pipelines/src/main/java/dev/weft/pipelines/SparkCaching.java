package dev.weft.pipelines;

import java.util.Arrays;

/**
 * The Spark runner caches a PCollection that several transforms read, at the storage level
 * {@code --storageLevel} names (Beam's default: {@code MEMORY_ONLY}). A memory-only partition that
 * does not fit is dropped and recomputed from its inputs when read again, and the recomputation
 * runs the upstream transforms a second time: on a 200k-span file every counter from the read to
 * deduplication came out doubled (read 400,000 of 200,000 lines), so the run summary's
 * conservation check failed although the outputs were right. Spilling such partitions to disk
 * instead keeps every record computed once; a user's own {@code --storageLevel} is kept.
 */
final class SparkCaching {
  static final String SPILL_TO_DISK = "MEMORY_AND_DISK";

  private SparkCaching() {}

  static String[] keepCachedPartitions(String[] args) {
    boolean spark = ArgValues.last(args, "runner")
        .map(r -> r.equals("SparkRunner") || r.endsWith(".SparkRunner")).orElse(false);
    if (!spark || ArgValues.last(args, "storageLevel").isPresent()) {
      return args;
    }
    String[] out = Arrays.copyOf(args, args.length + 1);
    out[args.length] = "--storageLevel=" + SPILL_TO_DISK;
    return out;
  }
}
