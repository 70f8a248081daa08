package dev.weft.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One call a linker found in a trace: from the calling service to the called one (service names
 * as the model names them, or entity ids), whether it failed, and the span that stands for it (its
 * time and latency place the call in a window).
 */
record CallLink(String from, String to, boolean error, TraceSpan at, TraceSpan client) {

  /** Event ids of the remote spans (those with a kind) that take part in none of the calls. */
  static List<String> unlinked(List<TraceSpan> spans, List<CallLink> links) {
    Set<String> linked = new HashSet<>();
    for (CallLink l : links) {
      linked.add(l.at().eventId);
      if (l.client() != null) {
        linked.add(l.client().eventId);
      }
    }
    List<String> out = new ArrayList<>();
    for (TraceSpan s : spans) {
      if (s.kind != null && !linked.contains(s.eventId)) {
        out.add(s.eventId);
      }
    }
    return out;
  }
}
