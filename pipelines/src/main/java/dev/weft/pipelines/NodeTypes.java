package dev.weft.pipelines;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an entity type is drawn, in one place for the page and the DOT export: a family (the k8s
 * workload kinds share one), a colour and a Cytoscape.js shape. A type not listed (a policy may
 * define its own) is drawn as "other".
 */
final class NodeTypes {
  private NodeTypes() {}

  /** Family → (colour, Cytoscape shape, legend label), in legend order. */
  static final Map<String, String[]> STYLES = new LinkedHashMap<>();

  static {
    STYLES.put("service", new String[] {"#1f77b4", "round-rectangle", "service"});
    STYLES.put("service.instance", new String[] {"#6baed6", "ellipse", "service instance"});
    STYLES.put("database", new String[] {"#8c564b", "barrel", "database"});
    STYLES.put("queue", new String[] {"#e377c2", "tag", "queue"});
    STYLES.put("external", new String[] {"#7f7f7f", "star", "external"});
    STYLES.put("k8s.pod", new String[] {"#2ca02c", "hexagon", "pod"});
    STYLES.put("container", new String[] {"#98df8a", "round-rectangle", "container"});
    STYLES.put("workload", new String[] {"#9467bd", "pentagon", "deployment / replicaset / …"});
    STYLES.put("k8s.service", new String[] {"#17becf", "diamond", "k8s service"});
    STYLES.put("k8s.serviceaccount", new String[] {"#bcbd22", "vee", "service account"});
    STYLES.put("k8s.node", new String[] {"#ff7f0e", "rectangle", "k8s node"});
    STYLES.put("host", new String[] {"#ffbb78", "cut-rectangle", "host"});
    STYLES.put("k8s.namespace", new String[] {"#c5b0d5", "octagon", "namespace"});
    STYLES.put("user", new String[] {"#f7b6d2", "triangle", "user"});
    STYLES.put("unknown", new String[] {"#d9d9d9", "ellipse", "unresolved (refused)"});
    STYLES.put("other", new String[] {"#aec7e8", "round-octagon", "other"});
  }

  /** The style family of an entity type. */
  static String family(String type) {
    String t = type == null ? "unknown" : type.toLowerCase(Locale.ROOT);
    switch (t) {
      case "k8s.deployment":
      case "k8s.replicaset":
      case "k8s.statefulset":
      case "k8s.daemonset":
      case "k8s.job":
      case "k8s.cronjob":
      case "k8s.hpa":
        return "workload";
      case "k8s.container": // a container as its pod names it; container: is a running one
        return "container";
      default:
        return STYLES.containsKey(t) ? t : "other";
    }
  }

  static String colour(String type) {
    return STYLES.get(family(type))[0];
  }

  /** True for a fill a black label would be hard to read on (relative luminance below 0.4). */
  static boolean dark(String hexColour) {
    int rgb = Integer.parseInt(hexColour.substring(1), 16);
    double l = 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
    return l / 255 < 0.4;
  }

  /** Microseconds as a short human duration ("120 ms", "1.5 ms", "2.3 s"). */
  static String millis(long micros) {
    if (micros >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
    }
    if (micros >= 10_000) {
      return (micros / 1000) + " ms";
    }
    return String.format(Locale.ROOT, "%.1f ms", micros / 1e3);
  }
}
