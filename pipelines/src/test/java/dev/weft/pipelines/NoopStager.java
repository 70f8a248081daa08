package dev.weft.pipelines;

import com.google.api.services.dataflow.model.DataflowPackage;
import java.util.List;
import org.apache.beam.runners.dataflow.util.PackageUtil.StagedFile;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Dataflow stager that uploads nothing, so the Dataflow runner can translate a pipeline offline
 * (passed as {@code --stagerClass}); the job JSON then lists no packages.
 */
public final class NoopStager implements Stager {

  /** Called reflectively by the Dataflow runner's stager factory. */
  public static NoopStager fromOptions(PipelineOptions options) {
    return new NoopStager();
  }

  @Override
  public List<DataflowPackage> stageFiles(List<StagedFile> files) {
    return List.of();
  }

  @Override
  public DataflowPackage stageToFile(byte[] bytes, String baseName) {
    return new DataflowPackage().setName(baseName).setLocation("noop://" + baseName);
  }
}
