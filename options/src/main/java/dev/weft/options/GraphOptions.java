package dev.weft.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Event time, dedup and graph settings. All durations are in event time except the early delay. */
public interface GraphOptions extends PipelineOptions {

  @Description("Size of the fixed event-time windows the graph is aggregated in, in seconds.")
  @Default.Integer(60)
  Integer getWindowSeconds();

  void setWindowSeconds(Integer value);

  @Description("Allowed lateness in seconds: an event at most this far behind still corrects "
      + "its window in a LATE pane; further behind, it goes to late-*.jsonl, counted.")
  @Default.Integer(300)
  Integer getAllowedLatenessSeconds();

  void setAllowedLatenessSeconds(Integer value);

  @Description("Emit provisional EARLY panes this many seconds of processing time after the "
      + "first element of a window (0: no early panes).")
  @Default.Integer(0)
  Integer getEarlyFiringSeconds();

  void setEarlyFiringSeconds(Integer value);

  @Description("How long an event id is remembered for dedup, in event-time seconds; at least "
      + "the allowed lateness.")
  @Default.Integer(600)
  Integer getDedupHorizonSeconds();

  void setDedupHorizonSeconds(Integer value);

  @Description("How long a trace is given to complete, in event time seconds after its latest "
      + "span: a streaming trace is linked as it arrives and settles this long after its last "
      + "span (bounded input links each whole trace once).")
  @Default.Integer(60)
  Integer getPairingBoundSeconds();

  void setPairingBoundSeconds(Integer value);

  @Description("Per-entity ordering buffer cap; on overflow events are released early and "
      + "counted (OrderWithinKey/bufferOverflow).")
  @Default.Integer(10000)
  Integer getOrderBufferCap();

  void setOrderBufferCap(Integer value);

  @Description("OpenTelemetry spans: the span attributes that name the peer of a client span no "
      + "server answers, first present wins (the servicegraph connector's "
      + "virtual_node_peer_attributes). Comma-separated.")
  @Default.String("peer.service,db.name,db.system")
  String getVirtualNodePeerAttributes();

  void setVirtualNodePeerAttributes(String value);

  @Description("OpenTelemetry spans: give a root server span without a client the virtual "
      + "client 'user' (the servicegraph connector's optional user node).")
  @Default.Boolean(false)
  Boolean getVirtualUserClient();

  void setVirtualUserClient(Boolean value);

  @Description("Formats of the final graph of a bounded run, comma-separated: json (graph.json), "
      + "dot (graph.dot, for Graphviz), graphml (graph.graphml, for Gephi and yEd).")
  @Default.InstanceFactory(JsonGraphFormat.class)
  List<String> getGraphFormat();

  void setGraphFormat(List<String> value);

  /** The default of --graphFormat: graph.json alone, as before the option existed. */
  class JsonGraphFormat implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of("json");
    }
  }
}
