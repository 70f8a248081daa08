package dev.weft.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Identity resolution settings. */
public interface IdentityOptions extends PipelineOptions {

  @Description("Identity policy file (YAML): entity types, rules in priority order, weights, the "
      + "confidence floor, normalizers. The built-in policy covers OpenTelemetry resources, Zipkin "
      + "endpoints and Kubernetes objects. An invalid file stops the run at start.")
  String getPolicy();

  void setPolicy(String value);

  @Description("Identity state is sharded into this many keys (bounded, whatever the number of "
      + "entities).")
  @Default.Integer(64)
  Integer getIdentityShards();

  void setIdentityShards(Integer value);
}
