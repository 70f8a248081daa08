package dev.weft.graph;

import dev.weft.model.SpanKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zipkin's dependency-link semantics for one trace, written for Weft's spans: what Zipkin's own
 * {@code DependencyLinker} counts (its {@code Trace.merge}, {@code SpanNode.Builder} and the link
 * walk), rule for rule, so that Weft's call edges on Zipkin data equal Zipkin's dependency links.
 *
 * <ol>
 *   <li><b>Merge</b> fragments: records of one span id with the same {@code shared} flag and
 *       compatible local endpoints are one span (first non-empty value wins); a server half without
 *       {@code shared} that follows its client half is marked shared; a shared server half without
 *       a parent takes its client's parent.
 *   <li><b>Tree</b> by parent id; a shared server half is the child of its client half (by id and
 *       endpoint, so servers on several hosts under one client id are several children); a span
 *       whose parent is missing hangs under the root.
 *   <li><b>Links</b>, walking every node: a client with children is skipped (its server names the
 *       call); a kind-less span with both a local and a remote service is a client; a server links
 *       its nearest remote ancestor's service to its own (so server→server across services links
 *       too, and a local span between them is skipped); a client without a server links to its
 *       {@code remoteEndpoint} service (uninstrumented peers); messaging links producer → broker and
 *       broker → consumer by the remote service names; the root server without a known caller is
 *       skipped. A call is an error when its span has the {@code error} tag, or when its direct
 *       client parent has.
 * </ol>
 *
 * <p>Where Zipkin's result depends on the order records arrived in (two fragments with different
 * values for one field), Weft orders by event id, so its answer never does.
 */
final class ZipkinTraceLinker {
  private ZipkinTraceLinker() {}

  /** The calls of one trace; {@code spans} all share a trace id. */
  static List<CallLink> link(List<TraceSpan> spans) {
    List<CallLink> links = new ArrayList<>();
    if (spans.isEmpty()) {
      return links;
    }
    Node root = tree(merge(spans));
    Iterator<Node> it = root.breadthFirst();
    while (it.hasNext()) {
      Node current = it.next();
      TraceSpan span = current.span;
      SpanKind kind = span.kind;
      if (kind == SpanKind.CLIENT && !current.children.isEmpty()) {
        continue;
      }
      String serviceName = span.localServiceName();
      String remoteServiceName = span.remoteServiceName;
      if (kind == null) {
        if (serviceName != null && remoteServiceName != null) {
          kind = SpanKind.CLIENT;
        } else {
          continue;
        }
      }
      String child;
      String parent;
      switch (kind) {
        case SERVER, CONSUMER -> {
          child = serviceName;
          parent = remoteServiceName;
          if (current == root && parent == null) {
            continue;
          }
        }
        case CLIENT, PRODUCER -> {
          parent = serviceName;
          child = remoteServiceName;
        }
        default -> {
          continue;
        }
      }
      boolean isError = span.error;
      if (kind == SpanKind.PRODUCER || kind == SpanKind.CONSUMER) {
        if (parent != null && child != null) {
          links.add(new CallLink(parent, child, isError, span, null));
        }
        continue;
      }
      TraceSpan client = null;
      TraceSpan remoteAncestor = firstRemoteAncestor(current);
      String remoteAncestorName;
      if (remoteAncestor != null
          && (remoteAncestorName = remoteAncestor.localServiceName()) != null) {
        if (kind == SpanKind.CLIENT && serviceName != null
            && !remoteAncestorName.equals(serviceName)) {
          // The caller's own span is missing: Zipkin backfills the link into this client's service.
          links.add(new CallLink(remoteAncestorName, serviceName, false, span, null));
        }
        if (kind == SpanKind.SERVER || parent == null) {
          parent = remoteAncestorName;
        }
        if (remoteAncestor.kind == SpanKind.CLIENT && span.parentId != null
            && span.parentId.equals(remoteAncestor.id)) {
          client = remoteAncestor;
          if (!isError) {
            isError = remoteAncestor.error;
          }
        }
      }
      if (parent == null || child == null) {
        continue;
      }
      links.add(new CallLink(parent, child, isError, span, client));
    }
    return links;
  }

  private static TraceSpan firstRemoteAncestor(Node current) {
    Node ancestor = current.parent;
    while (ancestor != null) {
      if (ancestor.span != null && ancestor.span.kind != null) {
        return ancestor.span;
      }
      ancestor = ancestor.parent;
    }
    return null;
  }

  // ---- merge: Zipkin's Trace.merge -------------------------------------------------------------

  /** Records sorted by span id, then non-shared (clients first) before shared, then endpoint. */
  static final Comparator<TraceSpan> CLEANUP_ORDER = Comparator
      .comparing((TraceSpan s) -> s.id)
      .thenComparing(ZipkinTraceLinker::compareShared)
      .thenComparing((a, b) -> compareEndpoint(a.localEndpoint, b.localEndpoint))
      .thenComparing(s -> s.eventId);

  private static int compareShared(TraceSpan left, TraceSpan right) {
    if (left.shared && right.shared) {
      return 0;
    }
    if (left.shared) {
      return 1;
    }
    if (right.shared) {
      return -1;
    }
    boolean leftClient = left.kind == SpanKind.CLIENT;
    boolean rightClient = right.kind == SpanKind.CLIENT;
    if (leftClient == rightClient) {
      return 0;
    }
    return leftClient ? -1 : 1;
  }

  private static int compareEndpoint(TraceSpan.Endpoint left, TraceSpan.Endpoint right) {
    if (left == null) {
      return right == null ? 0 : -1;
    } else if (right == null) {
      return 1;
    }
    int c = nullsLast(left.serviceName(), right.serviceName());
    if (c != 0) {
      return c;
    }
    c = nullsLast(left.ipv4(), right.ipv4());
    if (c != 0) {
      return c;
    }
    return nullsLast(left.ipv6(), right.ipv6());
  }

  private static int nullsLast(String left, String right) {
    if (left == null) {
      return right == null ? 0 : 1;
    }
    return right == null ? -1 : left.compareTo(right);
  }

  static List<TraceSpan> merge(List<TraceSpan> spans) {
    List<TraceSpan> result = new ArrayList<>(spans);
    result.sort(CLEANUP_ORDER);
    int length = result.size();
    TraceSpan last = null;
    for (int i = 0; i < length; i++) {
      TraceSpan span = result.get(i);
      boolean spanShared = span.shared;
      TraceSpan replacement = null;
      EndpointTracker localEndpoint = null;
      while (i + 1 < length) {
        TraceSpan next = result.get(i + 1);
        if (!next.id.equals(span.id)) {
          break;
        }
        if (localEndpoint == null) {
          localEndpoint = new EndpointTracker();
          localEndpoint.tryMerge(span.localEndpoint);
        }
        if (spanShared == next.shared && localEndpoint.tryMerge(next.localEndpoint)) {
          if (replacement == null) {
            replacement = span.copy();
          }
          fill(replacement, next);
          length--;
          result.remove(i + 1);
          continue;
        }
        break;
      }
      if (last != null && last.id.equals(span.id)) {
        // B3 reuses the client's id for the server; instrumentation often omits the shared flag.
        if (last.kind == SpanKind.CLIENT && span.kind == SpanKind.SERVER && !spanShared) {
          spanShared = true;
          if (replacement == null) {
            replacement = span.copy();
          }
          replacement.shared = true;
        }
        if (spanShared && span.parentId == null && last.parentId != null) {
          if (replacement == null) {
            replacement = span.copy();
          }
          replacement.parentId = last.parentId;
        }
      }
      if (replacement != null) {
        if (replacement.kind == SpanKind.CLIENT) {
          replacement.shared = false;
        }
        if (replacement.id.equals(replacement.parentId)) {
          replacement.parentId = null;
        }
        span = replacement;
        result.set(i, span);
      }
      last = span;
    }
    return result;
  }

  /** Zipkin's Span.Builder.merge: fields still empty take the other fragment's values. */
  private static void fill(TraceSpan into, TraceSpan from) {
    if (into.parentId == null) {
      into.parentId = from.parentId;
    }
    if (into.kind == null) {
      into.kind = from.kind;
    }
    if (into.localEndpoint == null) {
      into.localEndpoint = from.localEndpoint;
    } else if (from.localEndpoint != null) {
      TraceSpan.Endpoint a = into.localEndpoint;
      TraceSpan.Endpoint b = from.localEndpoint;
      into.localEndpoint = new TraceSpan.Endpoint(
          a.serviceName() != null ? a.serviceName() : b.serviceName(),
          a.ipv4() != null ? a.ipv4() : b.ipv4(),
          a.ipv6() != null ? a.ipv6() : b.ipv6(),
          a.port() != 0 ? a.port() : b.port());
    }
    if (into.remoteServiceName == null) {
      into.remoteServiceName = from.remoteServiceName;
    }
    into.error = into.error || from.error;
    into.shared = into.shared || from.shared;
  }

  /** Whether fragments' endpoints may be one endpoint (no field set differently). */
  private static final class EndpointTracker {
    String serviceName;
    String ipv4;
    String ipv6;
    int port;

    boolean tryMerge(TraceSpan.Endpoint e) {
      if (e == null) {
        return true;
      }
      if (serviceName != null && e.serviceName() != null
          && !serviceName.equals(e.serviceName())) {
        return false;
      }
      if (ipv4 != null && e.ipv4() != null && !ipv4.equals(e.ipv4())) {
        return false;
      }
      if (ipv6 != null && e.ipv6() != null && !ipv6.equals(e.ipv6())) {
        return false;
      }
      if (port != 0 && e.port() != 0 && port != e.port()) {
        return false;
      }
      if (serviceName == null) {
        serviceName = e.serviceName();
      }
      if (ipv4 == null) {
        ipv4 = e.ipv4();
      }
      if (ipv6 == null) {
        ipv6 = e.ipv6();
      }
      if (port == 0) {
        port = e.port();
      }
      return true;
    }
  }

  // ---- tree: Zipkin's SpanNode.Builder ---------------------------------------------------------

  static final class Node {
    Node parent;
    final TraceSpan span;
    final List<Node> children = new ArrayList<>();

    Node(TraceSpan span) {
      this.span = span;
    }

    void addChild(Node child) {
      if (child == this) {
        return;
      }
      children.add(child);
      child.parent = this;
    }

    Iterator<Node> breadthFirst() {
      ArrayDeque<Node> queue = new ArrayDeque<>();
      if (span == null) {
        queue.addAll(children);
      } else {
        queue.add(this);
      }
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return !queue.isEmpty();
        }

        @Override
        public Node next() {
          Node n = queue.remove();
          queue.addAll(n.children);
          return n;
        }
      };
    }
  }

  /** A shared span is keyed by id and endpoint: several servers may share one client's id. */
  private record SharedKey(String id, TraceSpan.Endpoint endpoint) {}

  private static Object key(String id, boolean shared, TraceSpan.Endpoint endpoint) {
    return shared ? new SharedKey(id, endpoint) : id;
  }

  static Node tree(List<TraceSpan> cleaned) {
    Map<Object, Node> keyToNode = new LinkedHashMap<>();
    Map<Object, Object> spanToParent = new LinkedHashMap<>();
    Node rootSpan = null;
    for (TraceSpan span : cleaned) {
      if (span.shared) {
        spanToParent.put(key(span.id, true, span.localEndpoint), span.id);
      } else {
        spanToParent.put(span.id, span.parentId);
      }
    }
    for (TraceSpan span : cleaned) {
      TraceSpan.Endpoint endpoint = span.localEndpoint;
      boolean shared = span.shared;
      Object key = key(span.id, shared, endpoint);
      Object noEndpointKey = endpoint != null ? key(span.id, shared, null) : key;
      Object parent = null;
      if (shared) {
        parent = span.id;
      } else if (span.parentId != null) {
        // A client span under a shared server on the same host is that server's child.
        parent = key(span.parentId, true, endpoint);
        if (spanToParent.containsKey(parent)) {
          spanToParent.put(noEndpointKey, parent);
        } else {
          parent = span.parentId;
        }
      }
      Node node = new Node(span);
      if (parent == null && rootSpan == null) {
        rootSpan = node;
        spanToParent.remove(noEndpointKey);
      } else if (shared) {
        keyToNode.put(key, node);
        keyToNode.put(noEndpointKey, node);
      } else {
        keyToNode.put(noEndpointKey, node);
      }
    }
    if (rootSpan == null) {
      rootSpan = new Node(null);
    }
    for (Map.Entry<Object, Object> entry : spanToParent.entrySet()) {
      Node child = keyToNode.get(entry.getKey());
      Node parent = keyToNode.get(entry.getValue());
      if (child == null) {
        continue;
      }
      if (parent == null) {
        rootSpan.addChild(child);
      } else {
        parent.addChild(child);
      }
    }
    return rootSpan;
  }
}
