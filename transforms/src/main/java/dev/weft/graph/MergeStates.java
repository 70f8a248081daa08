package dev.weft.graph;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Combines per-key, per-window graph state ({@link NodeState}, {@link EdgeState}) by its own
 * associative, commutative {@code merge}, so the result is the same whatever the order and
 * grouping of the contributions (which is what makes panes and runners agree).
 */
final class MergeStates<S extends MergeStates.Mergeable<S>> extends Combine.CombineFn<S, S, S> {

  /** State that merges into itself and returns itself. */
  interface Mergeable<S> {
    S merge(S other);
  }

  /** Makes the empty state; serializable so the combine function ships to workers. */
  interface Empty<S> extends Serializable {
    S get();
  }

  private final Empty<S> empty;
  private final Coder<S> coder;

  MergeStates(Empty<S> empty, Coder<S> coder) {
    this.empty = empty;
    this.coder = coder;
  }

  @Override
  public S createAccumulator() {
    return empty.get();
  }

  @Override
  public S addInput(S acc, S input) {
    return acc.merge(input);
  }

  @Override
  public S mergeAccumulators(Iterable<S> accs) {
    S out = empty.get();
    for (S acc : accs) {
      out = out.merge(acc);
    }
    return out;
  }

  @Override
  public S extractOutput(S acc) {
    return acc;
  }

  @Override
  public Coder<S> getAccumulatorCoder(CoderRegistry registry, Coder<S> inputCoder) {
    return coder;
  }

  @Override
  public Coder<S> getDefaultOutputCoder(CoderRegistry registry, Coder<S> inputCoder) {
    return coder;
  }
}
