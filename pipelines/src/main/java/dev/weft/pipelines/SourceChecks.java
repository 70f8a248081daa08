package dev.weft.pipelines;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Checks made before the pipeline starts, so a typo fails in a second with a clear message. */
final class SourceChecks {
  private SourceChecks() {}

  static void checkInputsExist(List<SourceSpec> sources) {
    for (SourceSpec s : sources) {
      if (s.transport() != SourceSpec.Transport.FILES) {
        continue;
      }
      try {
        MatchResult r = FileSystems.match(s.location());
        if (r.status() != MatchResult.Status.OK || r.metadata().isEmpty()) {
          throw new InvalidConfiguration("--sources=" + s + ": no file matches " + s.location());
        }
      } catch (IOException e) {
        throw new InvalidConfiguration("--sources=" + s + ": cannot list " + s.location() + ": "
            + e.getMessage(), e);
      }
    }
  }
}
