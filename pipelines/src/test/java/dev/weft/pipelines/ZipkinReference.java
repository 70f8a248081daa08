package dev.weft.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import zipkin2.DependencyLink;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.internal.DependencyLinker;

/**
 * The reference for Weft's call edges on Zipkin input: Zipkin's own JSON codec reads the file and
 * Zipkin's own {@link DependencyLinker} links each trace, exactly as a Zipkin server computes its
 * dependency graph. Weft's code is not involved, so agreeing with it means agreeing with Zipkin.
 */
final class ZipkinReference {
  private ZipkinReference() {}

  /** Calls and failed calls of one parent→child service pair. */
  record Link(long calls, long errors) {
    Link plus(Link o) {
      return new Link(calls + o.calls, errors + o.errors);
    }

    @Override
    public String toString() {
      return calls + "/" + errors;
    }
  }

  /** {@code "parent->child"} → calls and errors over every trace of the file, sorted by pair. */
  static SortedMap<String, Link> links(Path file) throws IOException {
    return links(read(file));
  }

  static SortedMap<String, Link> links(List<Span> spans) {
    Map<String, List<Span>> traces = new LinkedHashMap<>();
    for (Span s : spans) {
      traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    }
    SortedMap<String, Link> out = new TreeMap<>();
    for (List<Span> trace : traces.values()) {
      // One linker per trace, as Zipkin's storage does; the links are then summed.
      for (DependencyLink l : new DependencyLinker().putTrace(trace).link()) {
        out.merge(pair(l.parent(), l.child()), new Link(l.callCount(), l.errorCount()),
            Link::plus);
      }
    }
    return out;
  }

  /**
   * The trace ids whose links Zipkin's own linker gives differently when the same spans arrive in
   * another order (conflicting fragments of one span id: its merge keeps whichever came first).
   * Weft answers those in one fixed order (by event id), so they are no test of agreement.
   */
  static java.util.Set<String> orderDependentTraces(List<Span> spans, long seed) {
    Map<String, List<Span>> traces = new LinkedHashMap<>();
    for (Span s : spans) {
      traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    }
    java.util.Random random = new java.util.Random(seed);
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Map.Entry<String, List<Span>> t : traces.entrySet()) {
      SortedMap<String, Link> expected = links(t.getValue());
      List<Span> shuffled = new ArrayList<>(t.getValue());
      for (int i = 0; i < 8; i++) {
        java.util.Collections.shuffle(shuffled, random);
        if (!links(shuffled).equals(expected)) {
          out.add(t.getKey());
          break;
        }
      }
    }
    return out;
  }

  static String pair(String parent, String child) {
    return parent + "->" + child;
  }

  /**
   * A Zipkin v2 JSON span array, one span object, or one span per line when the file ends in
   * {@code .ndjson} / {@code .jsonl} (Weft's framing rule), decoded by Zipkin's codec.
   */
  static List<Span> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.startsWith("[")) {
      List<Span> spans = new ArrayList<>();
      if (!SpanBytesDecoder.JSON_V2.decodeList(bytes, spans) && !text.equals("[]")) {
        throw new IOException(file + ": Zipkin's decoder read no spans");
      }
      return spans;
    }
    String name = file.getFileName().toString();
    if (!name.endsWith(".ndjson") && !name.endsWith(".jsonl")) {
      // One document holding one span, as Weft reads a file not named as line-delimited.
      return new ArrayList<>(List.of(SpanBytesDecoder.JSON_V2.decodeOne(bytes)));
    }
    List<Span> spans = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        spans.add(SpanBytesDecoder.JSON_V2.decodeOne(line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return spans;
  }
}
