package dev.weft.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Brokers and tables: Kafka and Pub/Sub sources ({@code --sources=FORMAT:kafka://...}, {@code
 * FORMAT:pubsub://...}) and where the graph, dead letters and binding audit go besides files.
 * Pub/Sub's endpoint ({@code --pubsubRootUrl}) and GCP project/credentials are Beam's own options.
 */
public interface TransportOptions extends PipelineOptions {

  @Description("Kafka client properties for every kafka:// source and sink: key=value pairs "
      + "separated by ';' (security.protocol=SASL_SSL;sasl.mechanism=PLAIN;...). Secret values "
      + "(sasl.jaas.config, *.password) never appear in logs, display data or the summary, but "
      + "runners may show options: prefer --kafkaPropertiesFile for them.")
  String getKafkaProperties();

  void setKafkaProperties(String value);

  @Description("A Java properties file of Kafka client properties (Kafka's client.properties), "
      + "read when the pipeline is built; entries override --kafkaProperties.")
  String getKafkaPropertiesFile();

  void setKafkaPropertiesFile(String value);

  @Description("How far a broker source's watermark trails the newest record timestamp it read "
      + "(Kafka: record CreateTime/LogAppendTime; Pub/Sub: the timestamp attribute), in seconds: "
      + "how out of order the input may be before an event counts as late. Defaults to "
      + "--allowedLatenessSeconds.")
  Long getWatermarkDelaySeconds();

  void setWatermarkDelaySeconds(Long value);

  @Description("Where graph records also go, upserted by key: kafka://HOST:PORT/TOPIC (records "
      + "keyed by upsert key; make the topic compacted) or bigquery://PROJECT:DATASET (tables "
      + "nodes and edges). Files under --output are always written.")
  String getGraphSink();

  void setGraphSink(String value);

  @Description("Where dead letters also go: kafka://HOST:PORT/TOPIC or "
      + "bigquery://PROJECT:DATASET (table dead_letters).")
  String getDeadLetterSink();

  void setDeadLetterSink(String value);

  @Description("Where binding decisions (the identity audit) also go: kafka://HOST:PORT/TOPIC or "
      + "bigquery://PROJECT:DATASET (table bindings).")
  String getBindingsSink();

  void setBindingsSink(String value);

  @Description("BigQuery sinks: UPSERT (change data capture keyed by upsert_key with revision as "
      + "sequence number; the tables need a primary key) or CHANGELOG (append every revision; "
      + "fold with the MERGE statement in the README).")
  @Default.String("UPSERT")
  String getBigQueryWriteMode();

  void setBigQueryWriteMode(String value);
}
