package dev.weft.pipelines;

import dev.weft.adapters.Normalize;
import dev.weft.adapters.RawRecord;
import dev.weft.adapters.SourceAdapter;
import dev.weft.io.DeadLetterJson;
import dev.weft.io.EventJson;
import dev.weft.io.files.ReadFileRecords;
import dev.weft.model.DeadLetter;
import dev.weft.model.DeadLetterCoder;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.options.WeftOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Composes Weft from options: every configured source is read and normalized by its adapter; the
 * events and dead letters of all sources are written under {@code --output}. Reads top-down as
 * the data flows (DESIGN §3).
 */
public final class WeftPipeline {
  private WeftPipeline() {}

  /** What the built pipeline will produce, for the run summary. */
  public record Plan(List<SourceSpec> sources, String output) {}

  public static Plan build(Pipeline p, WeftOptions options, AdapterCatalog catalog) {
    List<SourceSpec> specs = new ArrayList<>();
    List<String> raw = options.getSources();
    for (int i = 0; i < raw.size(); i++) {
      specs.add(SourceSpec.parse(i, raw.get(i)));
    }
    List<PCollection<Event>> events = new ArrayList<>();
    List<PCollection<DeadLetter>> deadLetters = new ArrayList<>();
    for (SourceSpec spec : specs) {
      SourceAdapter adapter = catalog.adapterFor(spec.format());
      PCollection<RawRecord> records = read(p, spec, adapter, options);
      PCollectionTuple normalized = records.apply("Normalize " + spec.name(),
          new Normalize(adapter, spec.name(), options.getDeadLetterPayloadBytes()));
      events.add(normalized.get(Normalize.EVENTS));
      deadLetters.add(normalized.get(Normalize.DEAD_LETTERS));
    }
    PCollection<Event> allEvents = PCollectionList.of(events)
        .apply("All events", Flatten.pCollections()).setCoder(EventCoder.of());
    PCollection<DeadLetter> allDeadLetters = PCollectionList.of(deadLetters)
        .apply("All dead letters", Flatten.pCollections()).setCoder(DeadLetterCoder.of());

    String out = OutputFiles.dir(options.getOutput());
    allEvents
        .apply("Events as JSON", MapElements.into(TypeDescriptors.strings()).via(EventJson::toJson))
        .apply("Write events", TextIO.write().to(out + "events").withSuffix(".jsonl"));
    allDeadLetters
        .apply("Dead letters as JSON",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetterJson::toJson))
        .apply("Write dead letters", TextIO.write().to(out + "deadletters").withSuffix(".jsonl"));
    return new Plan(specs, out);
  }

  private static PCollection<RawRecord> read(Pipeline p, SourceSpec spec, SourceAdapter adapter,
      WeftOptions options) {
    switch (spec.transport()) {
      case FILES:
        return p.apply("Read " + spec.name(), new ReadFileRecords(spec.format(), spec.location(),
            ReadFileRecords.framingFor(spec.location(), adapter.fileFraming()),
            options.getMaxRecordBytes(), Normalize.counterNamespace(spec.name())));
      default:
        throw new InvalidConfiguration("--sources=" + spec + ": the " + spec.transport()
            + " transport is not available in this build");
    }
  }
}
