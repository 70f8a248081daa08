package dev.weft.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The envelope common to OTLP/JSON trace and log requests: resource, scope, the list keys under
 * their lowerCamelCase, snake_case and legacy names, and helpful reasons when a document is some
 * other OTLP signal or another trace format altogether.
 */
final class OtlpRequests {
  private OtlpRequests() {}

  static final String[] RESOURCE_SPANS = {"resourceSpans", "resource_spans"};
  static final String[] SCOPE_SPANS = {"scopeSpans", "scope_spans", "instrumentationLibrarySpans",
      "instrumentation_library_spans"};
  static final String[] RESOURCE_LOGS = {"resourceLogs", "resource_logs"};
  static final String[] SCOPE_LOGS = {"scopeLogs", "scope_logs", "instrumentationLibraryLogs",
      "instrumentation_library_logs"};
  private static final String[] SCOPE = {"scope", "instrumentationLibrary",
      "instrumentation_library"};

  /**
   * The names of one OTLP signal's request levels: the request type and its root field (for
   * messages), the resource list keys and type, the scope list keys and type, and the record list
   * keys, list name and record name.
   */
  record Envelope(String request, String rootField, String[] resourceKeys, String resourceType,
      String[] scopeKeys, String scopeType, String[] recordKeys, String recordList,
      String recordName) {}

  static final Envelope TRACES = new Envelope("ExportTraceServiceRequest", "resourceSpans",
      RESOURCE_SPANS, "ResourceSpans", SCOPE_SPANS, "ScopeSpans", new String[] {"spans"}, "spans",
      "span");
  static final Envelope LOGS = new Envelope("ExportLogsServiceRequest", "resourceLogs",
      RESOURCE_LOGS, "ResourceLogs", SCOPE_LOGS, "ScopeLogs",
      new String[] {"logRecords", "log_records"}, "LogRecords", "log record");

  /** Turns one record of the request into an event, given its resource and scope. */
  interface RecordReader {
    dev.weft.model.Event read(JsonNode record, Map<String, String> resource, Scope scope,
        Origin origin) throws RecordRejected;
  }

  /**
   * Walks a request found at {@code base} (a JSON pointer prefix, "" for the document root):
   * resources, their scopes, their records. A bad resource or scope is one failure for what lies
   * under it; a bad record is one failure at its pointer; every other record becomes an event.
   */
  static void walk(JsonNode root, String base, Origin origin, String format, Envelope env,
      AdapterResult result, RecordReader reader) {
    Origin at = base.isEmpty() ? origin : origin.at(base);
    if (!root.isObject()) {
      result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "the document is "
          + TraceFields.typeOf(root) + ", expected an " + env.request() + " object with \""
          + env.rootField() + "\"", at));
      return;
    }
    String resourcesKey = keyOf(root, env.resourceKeys());
    if (resourcesKey == null) {
      ParseFailure why = notThisRequest(root, env.rootField(), format, at);
      if (why != null) {
        result.fail(why);
      }
      return;
    }
    String resourcesPointer = base + "/" + resourcesKey;
    JsonNode resources = array(root, resourcesKey, resourcesPointer, origin, env.resourceType(),
        result);
    if (resources == null) {
      return;
    }
    for (int i = 0; i < resources.size(); i++) {
      String rPointer = resourcesPointer + "/" + i;
      JsonNode r = resources.get(i);
      Map<String, String> resource;
      String scopesKey;
      try {
        if (!r.isObject()) {
          throw TraceFields.wrongType("the entry", r, "a " + env.resourceType() + " object");
        }
        resource = resource(r);
        scopesKey = keyOf(r, env.scopeKeys());
      } catch (RecordRejected e) {
        result.fail(recordFailure(e, env.resourceType(), rPointer, r, origin));
        continue;
      }
      if (scopesKey == null) {
        unknownFields(r, RESOURCE_FIELDS, env.scopeKeys()[0], rPointer, origin, result);
        continue;
      }
      String scopesPointer = rPointer + "/" + scopesKey;
      JsonNode scopes = array(r, scopesKey, scopesPointer, origin, env.scopeType(), result);
      if (scopes == null) {
        continue;
      }
      for (int j = 0; j < scopes.size(); j++) {
        String sPointer = scopesPointer + "/" + j;
        JsonNode sc = scopes.get(j);
        Scope scope;
        try {
          if (!sc.isObject()) {
            throw TraceFields.wrongType("the entry", sc, "a " + env.scopeType() + " object");
          }
          scope = scope(sc);
        } catch (RecordRejected e) {
          result.fail(recordFailure(e, env.scopeType(), sPointer, sc, origin));
          continue;
        }
        String recordsKey = keyOf(sc, env.recordKeys());
        if (recordsKey == null) {
          unknownFields(sc, SCOPE_FIELDS, env.recordKeys()[0], sPointer, origin, result);
          continue;
        }
        String recordsPointer = sPointer + "/" + recordsKey;
        JsonNode records = array(sc, recordsKey, recordsPointer, origin, env.recordList(),
            result);
        if (records == null) {
          continue;
        }
        for (int k = 0; k < records.size(); k++) {
          String pointer = recordsPointer + "/" + k;
          JsonNode record = records.get(k);
          try {
            result.add(reader.read(record, resource, scope, origin.at(pointer)));
          } catch (RecordRejected e) {
            result.fail(recordFailure(e, env.recordName(), pointer, record, origin));
          }
        }
      }
    }
  }

  /** The fields a resource or scope entry may hold besides its list. */
  private static final java.util.Set<String> RESOURCE_FIELDS =
      java.util.Set.of("resource", "schemaUrl", "schema_url");
  private static final java.util.Set<String> SCOPE_FIELDS = java.util.Set.of("scope",
      "instrumentationLibrary", "instrumentation_library", "schemaUrl", "schema_url");

  /**
   * An entry without its list is an empty group — unless it holds a field OTLP does not have,
   * which is most likely the list under a damaged name ({@code scopeSpanz}): its records would
   * vanish without a trace, so the entry is one failure that names the field.
   */
  private static void unknownFields(JsonNode entry, java.util.Set<String> known, String listKey,
      String pointer, Origin origin, AdapterResult result) {
    for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        result.fail(new ParseFailure(FailureKind.MISSING_FIELD, pointer + " has no '" + listKey
            + "' list but an unknown field '" + TraceFields.clip(name) + "' (a damaged name?);"
            + " its fields are " + fieldNames(entry), origin.at(pointer), null));
        return;
      }
    }
  }

  /** The scope of a group of spans or logs, read once for the group. */
  record Scope(String name, String version, Map<String, String> attributes) {}

  /** The first of {@code names} present in {@code obj}, or null. */
  static String keyOf(JsonNode obj, String[] names) {
    for (String n : names) {
      JsonNode v = obj.get(n);
      if (v != null && !v.isNull()) {
        return n;
      }
    }
    return null;
  }

  /**
   * The array under {@code key}, or null after recording a failure at {@code pointer} when it is
   * not an array.
   */
  static JsonNode array(JsonNode obj, String key, String pointer, Origin origin, String what,
      AdapterResult result) {
    JsonNode v = obj.get(key);
    if (v.isArray()) {
      return v;
    }
    result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, pointer + " is " + TraceFields.typeOf(v)
        + ", expected an array of " + what, origin.at(pointer)));
    return null;
  }

  /** Resource attributes; they become identity signals of every record under the resource. */
  static Map<String, String> resource(JsonNode resourceEntry) throws RecordRejected {
    Map<String, String> signals = new TreeMap<>();
    JsonNode resource = TraceFields.field(resourceEntry, "resource");
    if (resource == null) {
      return signals;
    }
    if (!resource.isObject()) {
      throw TraceFields.wrongType("resource", resource, "an object");
    }
    TraceFields.keyValues(TraceFields.field(resource, "attributes"), "resource attribute",
        signals::put);
    return signals;
  }

  static Scope scope(JsonNode scopeEntry) throws RecordRejected {
    JsonNode scope = null;
    for (String n : SCOPE) {
      scope = TraceFields.field(scopeEntry, n);
      if (scope != null) {
        break;
      }
    }
    if (scope == null) {
      return new Scope(null, null, Map.of());
    }
    if (!scope.isObject()) {
      throw TraceFields.wrongType("scope", scope, "an object");
    }
    Map<String, String> attrs = new TreeMap<>();
    TraceFields.keyValues(TraceFields.field(scope, "attributes"), "scope attribute", attrs::put);
    return new Scope(TraceFields.optText(TraceFields.field(scope, "name"), "scope.name"),
        TraceFields.optText(TraceFields.field(scope, "version"), "scope.version"), attrs);
  }

  /**
   * Why a document without the expected list is not what the adapter reads, or null when it is an
   * empty request ({@code {}}), which is valid and holds nothing.
   */
  static ParseFailure notThisRequest(JsonNode root, String expectedKey, String format,
      Origin origin) {
    if (root.isEmpty()) {
      return null;
    }
    String reason = otherFormat(root, format);
    if (reason == null) {
      reason = "no \"" + expectedKey + "\" list: this is not an OTLP/JSON request for " + format
          + "; its top-level fields are " + fieldNames(root);
    }
    return ParseFailure.of(FailureKind.UNSUPPORTED, reason, origin);
  }

  /** A reason naming the format a document really is, when it is a known other one; else null. */
  static String otherFormat(JsonNode root, String format) {
    if (has(root, "resourceMetrics", "resource_metrics")) {
      return "this is an ExportMetricsServiceRequest (OTLP metrics, \"resourceMetrics\"); "
          + format + " reads spans or logs, and Weft does not ingest metrics";
    }
    if (has(root, "resourceSpans", "resource_spans")) {
      return "this is an ExportTraceServiceRequest (OTLP traces, \"resourceSpans\"); "
          + "read it with format otlp-traces, not " + format;
    }
    if (has(root, "resourceLogs", "resource_logs")) {
      return "this is an ExportLogsServiceRequest (OTLP logs, \"resourceLogs\"); "
          + "read it with format otlp-logs, not " + format;
    }
    if (has(root, "resourceProfiles", "resource_profiles")) {
      return "this is an OTLP profiles request (\"resourceProfiles\"); Weft does not ingest "
          + "profiles";
    }
    if (has(root, "data", "traceID") || has(root, "spans", "processes")) {
      return "this looks like Jaeger JSON (\"data\"/\"traceID\"/\"spans\"); read it with "
          + "format jaeger, not " + format;
    }
    return null;
  }

  private static boolean has(JsonNode root, String a, String b) {
    return root.has(a) || root.has(b);
  }

  static String fieldNames(JsonNode obj) {
    StringBuilder s = new StringBuilder("[");
    Iterator<String> names = obj.fieldNames();
    int n = 0;
    while (names.hasNext()) {
      String name = names.next();
      if (n == 10) {
        s.append(", ...");
        break;
      }
      s.append(n++ == 0 ? "" : ", ").append(TraceFields.clip(name));
    }
    return s.append(']').toString();
  }

  /** The failure of one record, keeping its bytes when they are small enough to be useful. */
  static ParseFailure recordFailure(RecordRejected e, String what, String pointer, JsonNode node,
      Origin origin) {
    byte[] fragment = null;
    if (e.kind() != FailureKind.TOO_LARGE) {
      try {
        fragment = JsonInput.JSON.writeValueAsBytes(node);
      } catch (java.io.IOException ignored) {
        // the dead letter then keeps the whole input unit
      }
    }
    if (pointer.isEmpty()) {
      return new ParseFailure(e.kind(), what + ": " + e.getMessage(), origin, fragment);
    }
    return new ParseFailure(e.kind(), what + " at " + pointer + ": " + e.getMessage(),
        origin.at(pointer), fragment);
  }
}
