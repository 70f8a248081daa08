package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.ResolvedEvent;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/** The two outputs of {@link ResolveIdentity}: resolved events and the binding audit. */
public final class ResolvedIdentity implements POutput {
  private static final TupleTag<ResolvedEvent> RESOLVED = new TupleTag<>("resolved") {};
  private static final TupleTag<Binding> BINDINGS = new TupleTag<>("bindings") {};

  private final PCollection<ResolvedEvent> resolved;
  private final PCollection<Binding> bindings;

  ResolvedIdentity(PCollection<ResolvedEvent> resolved, PCollection<Binding> bindings) {
    this.resolved = resolved;
    this.bindings = bindings;
  }

  /**
   * Every event with its entities; an event re-bound by late knowledge appears again as a
   * retraction of its earlier resolution followed by the corrected one (revision + 1).
   */
  public PCollection<ResolvedEvent> resolved() {
    return resolved;
  }

  /** One record per decision and entity type; a re-binding is a new record with revision + 1. */
  public PCollection<Binding> bindings() {
    return bindings;
  }

  @Override
  public Pipeline getPipeline() {
    return resolved.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(RESOLVED, resolved, BINDINGS, bindings);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input,
      PTransform<?, ?> transform) {}
}
