package dev.weft.adapters;

import dev.weft.config.ConfigProblem;
import dev.weft.config.NearestName;
import dev.weft.config.YamlLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which JSON keys a {@link JsonLogsAdapter} reads as what. Each role has a list of aliases tried
 * in order; the first one present with a non-null value wins. An alias is a flattened dotted path,
 * so {@code log.level} matches both {@code {"log.level": "x"}} and {@code {"log": {"level":
 * "x"}}}.
 *
 * <p>YAML form (every key optional; a key given replaces that role's default list, a role left
 * out keeps its defaults; unknown keys are an error so a typo does not go unnoticed):
 *
 * <pre>
 * time: [timestamp, time, "@timestamp"]
 * message: [message, msg]
 * severity: [level]
 * traceId: [trace_id]
 * spanId: [span_id]
 * signals:
 *   service.name: [service, app]
 *   host.name: [host, hostname]
 * </pre>
 *
 * For {@code signals}, a signal named in the file replaces that signal's aliases; the other
 * default signals stay.
 */
public final class JsonLogFields implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> time;
  private final List<String> message;
  private final List<String> severity;
  private final List<String> traceId;
  private final List<String> spanId;
  private final Map<String, List<String>> signals;

  public JsonLogFields(List<String> time, List<String> message, List<String> severity,
      List<String> traceId, List<String> spanId, Map<String, List<String>> signals) {
    this.time = copy(time);
    this.message = copy(message);
    this.severity = copy(severity);
    this.traceId = copy(traceId);
    this.spanId = copy(spanId);
    LinkedHashMap<String, List<String>> s = new LinkedHashMap<>();
    signals.forEach((k, v) -> s.put(k, copy(v)));
    this.signals = Collections.unmodifiableMap(s);
  }

  private static List<String> copy(List<String> l) {
    return Collections.unmodifiableList(new ArrayList<>(l));
  }

  /** The defaults: common names from log4j/logback JSON, ECS, Bunyan/pino, zap, Docker, fluentd. */
  public static JsonLogFields defaults() {
    Map<String, List<String>> signals = new LinkedHashMap<>();
    signals.put("service.name", List.of("service.name", "service", "app", "application",
        "serviceName", "service_name", "kubernetes.labels.app"));
    signals.put("service.namespace", List.of("service.namespace"));
    signals.put("service.instance.id", List.of("service.instance.id"));
    signals.put("host.name", List.of("host.name", "hostname", "host", "kubernetes.host"));
    signals.put("k8s.pod.name", List.of("k8s.pod.name", "pod", "pod_name",
        "kubernetes.pod_name", "kubernetes.pod.name"));
    signals.put("k8s.pod.uid", List.of("k8s.pod.uid", "pod_uid", "kubernetes.pod_id",
        "kubernetes.pod.uid"));
    signals.put("k8s.namespace.name", List.of("k8s.namespace.name", "namespace",
        "kubernetes.namespace_name", "kubernetes.namespace"));
    signals.put("k8s.container.name", List.of("k8s.container.name", "container",
        "container_name", "kubernetes.container_name", "kubernetes.container.name"));
    signals.put("container.id", List.of("container.id", "container_id",
        "docker.container_id", "kubernetes.docker_id"));
    signals.put("process.pid", List.of("process.pid", "pid"));
    return new JsonLogFields(
        List.of("timestamp", "time", "@timestamp", "ts", "date", "datetime", "eventTime",
            "event.created"),
        List.of("message", "msg", "body", "log", "@message", "text"),
        List.of("level", "severity", "lvl", "log.level", "loglevel", "levelname",
            "severity_text", "severityText"),
        List.of("trace_id", "traceId", "trace.id", "traceid", "dd.trace_id"),
        List.of("span_id", "spanId", "span.id", "spanid", "dd.span_id"),
        signals);
  }

  public static JsonLogFields load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON log field aliases " + file, e);
    }
  }

  /**
   * Reads the YAML form; fails with the source name, the line and the problem (an unknown key
   * names the nearest known one).
   */
  public static JsonLogFields load(InputStream in, String sourceName) {
    JsonNode root;
    YamlLines lines;
    try {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      lines = YamlLines.of(text);
      root = JsonInput.YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(sourceName + ": not valid YAML: " + e.getMessage(), e);
    }
    try {
      return parse(root);
    } catch (ConfigProblem e) {
      throw new IllegalArgumentException(sourceName + ": " + lines.prefix(e.pointer())
          + e.getMessage(), e);
    }
  }

  private static final List<String> ROLES =
      List.of("time", "message", "severity", "traceId", "spanId", "signals");

  private static JsonLogFields parse(JsonNode root) {
    JsonLogFields d = defaults();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return d;
    }
    if (!root.isObject()) {
      throw new ConfigProblem("", "expected a mapping of roles to alias lists, found "
          + root.getNodeType());
    }
    Map<String, List<String>> signals = new LinkedHashMap<>(d.signals);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!ROLES.contains(k)) {
        throw new ConfigProblem("/" + k, NearestName.unknownKey(k, k, ROLES));
      }
    }
    JsonNode sig = root.path("signals");
    if (!sig.isMissingNode()) {
      if (!sig.isObject()) {
        throw new ConfigProblem("/signals", "'signals' must map signal names to alias lists");
      }
      sig.fields().forEachRemaining(e ->
          signals.put(e.getKey(), aliases(e.getValue(), "/signals/" + e.getKey(),
              "signals." + e.getKey())));
    }
    return new JsonLogFields(
        orDefault(root, "time", d.time),
        orDefault(root, "message", d.message),
        orDefault(root, "severity", d.severity),
        orDefault(root, "traceId", d.traceId),
        orDefault(root, "spanId", d.spanId),
        signals);
  }

  private static List<String> orDefault(JsonNode root, String key, List<String> def) {
    JsonNode n = root.get(key);
    return n == null ? def : aliases(n, "/" + key, key);
  }

  private static List<String> aliases(JsonNode n, String pointer, String key) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      int i = 0;
      for (JsonNode a : n) {
        if (!a.isTextual() || a.asText().isBlank()) {
          throw new ConfigProblem(pointer + "/" + i, "'" + key + "' must list key names, found "
              + a);
        }
        out.add(a.asText());
        i++;
      }
    } else {
      throw new ConfigProblem(pointer, "'" + key + "' must be a list of key names, found "
          + n.getNodeType());
    }
    return out;
  }

  public List<String> time() {
    return time;
  }

  public List<String> message() {
    return message;
  }

  public List<String> severity() {
    return severity;
  }

  public List<String> traceId() {
    return traceId;
  }

  public List<String> spanId() {
    return spanId;
  }

  /** Signal name to its aliases, in the order signals are resolved. */
  public Map<String, List<String>> signals() {
    return signals;
  }
}
