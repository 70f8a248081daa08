package dev.weft.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The overload policy: a budget of events per emitter (a service, host or pod; else the source)
 * per graph window, and what happens to the events beyond it.
 */
public interface OverloadOptions extends PipelineOptions {

  @Description("At most this many unique events per emitter (service, host or pod; else the "
      + "source) per graph window go on to identity resolution and the graph; the rest get "
      + "--overloadAction. 0: no budget.")
  @Default.Long(100_000)
  Long getOverloadBudget();

  void setOverloadBudget(Long value);

  @Description("What happens to events beyond the budget: spill (written whole to "
      + "--spillLocation, replayable with --sources=weft-events:...; nothing is lost), shed "
      + "(dropped, their ids in shed-*.jsonl) or sample (1 in --overloadSampleEvery kept and "
      + "counted that many times in the graph). Every action is counted in summary.json.")
  @Default.String("spill")
  String getOverloadAction();

  void setOverloadAction(String value);

  @Description("N of --overloadAction=sample: one event (one whole trace, for spans) in N is kept "
      + "beyond the budget. At least 2.")
  @Default.Integer(10)
  Integer getOverloadSampleEvery();

  void setOverloadSampleEvery(Integer value);

  @Description("Where spilled events go, as Weft's canonical event JSON: a directory "
      + "(spill-TIME-*.jsonl; never cleaned by Weft, so an earlier spill survives the next run) or "
      + "a Kafka topic kafka://HOST:PORT/TOPIC (keyed by event id; replay with "
      + "--sources=weft-events:kafka://HOST:PORT/TOPIC). Default: the output directory's sibling "
      + "NAME-spill.")
  String getSpillLocation();

  void setSpillLocation(String value);
}
