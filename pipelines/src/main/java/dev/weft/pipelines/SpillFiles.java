package dev.weft.pipelines;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A bounded run writes its spill file even when nothing was spilled (Beam's file sink writes an
 * empty shard, and its skipIfEmpty has no effect on the Direct runner's sharding), which would
 * leave an empty file, and a directory, beside every run's output. This run's own empty spill
 * files (named by its start time) are removed, and the spill directory when it is left empty and
 * local. Never touches a file of another run.
 */
final class SpillFiles {
  private SpillFiles() {}

  static void removeEmpty(String spillDir, String runPrefix) throws IOException {
    List<ResourceId> mine = OutputFiles.match(spillDir + OutputManifest.shardGlob(runPrefix));
    if (!mine.isEmpty()) {
      FileSystems.delete(mine);
    }
    if (!spillDir.contains("://")) {
      try {
        Files.deleteIfExists(Path.of(spillDir));
      } catch (DirectoryNotEmptyException earlierSpills) {
        // An earlier run's spill lives there: keep it.
      }
    }
  }
}
