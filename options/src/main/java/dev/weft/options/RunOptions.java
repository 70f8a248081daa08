package dev.weft.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the weft command reports a run while it runs, and how it judges the outcome. */
public interface RunOptions extends PipelineOptions {

  @Description("Print a progress line on stderr every this many seconds while the pipeline runs "
      + "(records read and per second, events, dead letters, duplicates, late, newest event "
      + "time, elapsed). At least 1.")
  @Default.Integer(5)
  Integer getProgressSeconds();

  void setProgressSeconds(Integer value);

  @Description("A streaming run rewrites summary.json every this many seconds while it runs "
      + "(\"final\": false: counters, state bounds and the runner's late drops), and once more "
      + "when stopped by a signal; the final summary with every check is written at drain. "
      + "At least 1.")
  @Default.Integer(30)
  Integer getSummarySeconds();

  void setSummarySeconds(Integer value);

  @Description("No progress lines on stderr; the final summary is still printed.")
  @Default.Boolean(false)
  Boolean getQuiet();

  void setQuiet(Boolean value);

  @Description("Exit 0 even when every record of a source was dead-lettered (by default such a "
      + "run exits 3 with the first reasons, because a source that yields nothing is almost "
      + "always a wrong format, pattern or time layout).")
  @Default.Boolean(false)
  Boolean getAllowAllDeadLettered();

  void setAllowAllDeadLettered(Boolean value);
}
