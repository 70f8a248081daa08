package dev.weft.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** What a user can set when running Weft. Runner options (--runner, ...) come from Beam. */
public interface WeftOptions extends GraphOptions, IdentityOptions, TransportOptions,
    PrivacyOptions, RunOptions, OverloadOptions {

  @Description("An input as FORMAT:PATH_OR_GLOB (repeatable, one per input). Formats: otlp-traces, "
      + "otlp-logs, zipkin, jaeger, json-logs, syslog, k8s, inventory[.NAME], text-logs.NAME (NAME a "
      + "pattern of --patterns), weft-events (Weft's own events-*.jsonl or spill files). A file holds one document, or one record per line when it ends "
      + "in .ndjson or .jsonl (and always for json-logs, text-logs and weft-events).")
  @Validation.Required
  List<String> getSources();

  void setSources(List<String> value);

  @Description("Directory for events-*.jsonl, deadletters-*.jsonl, summary.json and the graph.")
  @Default.String("weft-out")
  String getOutput();

  void setOutput(String value);

  @Description("The optional per-record files a run writes into --output: a comma-separated "
      + "subset of events (events-*.jsonl, the canonical events: about twice the input's size) and "
      + "bindings (bindings-*.jsonl, the identity audit), or none. The graph (nodes, edges, "
      + "graph.json), dead letters, late events, shed ids and summary.json are always written. "
      + "explain and the view's identity panel read events-*.jsonl; --bindingsSink is separate.")
  @Default.String("events,bindings")
  String getOutputs();

  void setOutputs(String value);

  @Description("A record (document or line) larger than this many bytes is dead-lettered as "
      + "TOO_LARGE without being parsed.")
  @Default.Integer(16 * 1024 * 1024)
  Integer getMaxRecordBytes();

  void setMaxRecordBytes(Integer value);

  @Description("At most this many bytes of a failed record's raw payload are kept in its dead "
      + "letter (the letter says when it was truncated and the true size).")
  @Default.Integer(64 * 1024)
  Integer getDeadLetterPayloadBytes();

  void setDeadLetterPayloadBytes(Integer value);

  @Description("Pattern file (YAML) for text-logs.NAME formats; the built-in file covers apache, "
      + "hdfs, linux, openssh, zookeeper.")
  String getPatterns();

  void setPatterns(String value);

  @Description("Field aliases (YAML) for json-logs; built-in aliases when unset.")
  String getJsonLogFields();

  void setJsonLogFields(String value);

  @Description("Column mapping files (YAML) for inventory sources (repeatable). Format "
      + "inventory.NAME uses the mapping whose name is NAME; plain inventory needs exactly one.")
  List<String> getInventoryMapping();

  void setInventoryMapping(List<String> value);
}
