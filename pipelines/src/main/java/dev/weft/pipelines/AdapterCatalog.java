package dev.weft.pipelines;

import dev.weft.adapters.InventoryAdapter;
import dev.weft.adapters.JaegerAdapter;
import dev.weft.adapters.InventoryMapping;
import dev.weft.adapters.JsonLogFields;
import dev.weft.adapters.JsonLogsAdapter;
import dev.weft.adapters.KubernetesAdapter;
import dev.weft.adapters.OtlpLogsAdapter;
import dev.weft.adapters.OtlpTracesAdapter;
import dev.weft.adapters.SourceAdapter;
import dev.weft.adapters.SyslogAdapter;
import dev.weft.adapters.TextPatterns;
import dev.weft.adapters.WeftEventsAdapter;
import dev.weft.adapters.ZipkinAdapter;
import dev.weft.options.WeftOptions;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a format name to its adapter, configured from the options (pattern file, JSON log aliases,
 * inventory mappings). Configuration files are loaded once, when first needed and before the
 * pipeline starts, so a bad file stops the run before it reads anything, with the file, the place
 * and the problem.
 */
public final class AdapterCatalog {
  /** The formats {@code --sources} accepts, as {@code --help} lists them. */
  public static final List<String> FORMATS = List.of("otlp-traces", "otlp-logs", "zipkin",
      "jaeger", "json-logs", "syslog", "k8s", "inventory", "inventory.NAME", "text-logs.NAME",
      "weft-events");

  private final WeftOptions options;
  private TextPatterns patterns;
  private Map<String, InventoryMapping> mappings;
  private final List<String> notices = new ArrayList<>();

  public AdapterCatalog(WeftOptions options) {
    this.options = options;
  }

  public SourceAdapter adapterFor(String format) {
    switch (format) {
      case "otlp-traces":
        return new OtlpTracesAdapter();
      case "otlp-logs":
        return new OtlpLogsAdapter();
      case "zipkin":
        return new ZipkinAdapter();
      case "jaeger":
        return new JaegerAdapter();
      case "json-logs":
        return options.getJsonLogFields() == null ? new JsonLogsAdapter()
            : new JsonLogsAdapter(load("--jsonLogFields", () ->
                JsonLogFields.load(Paths.get(options.getJsonLogFields()))));
      case "syslog":
        return new SyslogAdapter();
      case "k8s":
        return new KubernetesAdapter();
      case "inventory":
        return new InventoryAdapter(onlyMapping());
      case "weft-events":
        return new WeftEventsAdapter();
      default:
        break;
    }
    if (format.startsWith("text-logs.")) {
      String name = format.substring("text-logs.".length());
      TextPatterns p = patterns();
      try {
        return p.adapter(name);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfiguration("--sources format " + format + ": " + e.getMessage());
      }
    }
    if (format.startsWith("inventory.")) {
      // inventory.A+B+C: one reading of the input, each record taken by the first mapping whose
      // where holds (one mapping per model of a NetBox dump), the rest counted as filtered.
      List<InventoryMapping> chosen = new ArrayList<>();
      for (String name : format.substring("inventory.".length()).split("\\+", -1)) {
        InventoryMapping m = mappings().get(name);
        if (m == null) {
          throw new InvalidConfiguration("--sources format " + format + ": no --inventoryMapping "
              + "file has name '" + name + "' (known: " + mappings().keySet() + ")");
        }
        chosen.add(m);
      }
      try {
        return new InventoryAdapter(chosen);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfiguration("--sources format " + format + ": " + e.getMessage());
      }
    }
    throw new InvalidConfiguration("unknown format '" + format + "'; known formats: "
        + String.join(", ", FORMATS));
  }

  /**
   * The built-in patterns plus those of {@code --patterns}: the file adds formats, and a pattern
   * of the same name as a built-in one replaces it (said in {@link #notices()}).
   */
  private TextPatterns patterns() {
    if (patterns == null) {
      patterns = TextPatterns.defaults();
      if (options.getPatterns() != null) {
        TextPatterns own =
            load("--patterns", () -> TextPatterns.load(Paths.get(options.getPatterns())));
        for (String name : own.all().keySet()) {
          if (patterns.all().containsKey(name)) {
            notices.add("--patterns=" + options.getPatterns() + ": pattern '" + name
                + "' overrides the built-in one");
          }
        }
        patterns = patterns.plus(own);
      }
    }
    return patterns;
  }

  /**
   * Every relation of the inventory mappings loaded so far names a type of the policy that names
   * its entities by one value (a strong rule over one signal), so its edges meet the target's
   * nodes; else the edges would end at nodes no record ever binds. Call after the sources'
   * adapters are made.
   *
   * @throws InvalidConfiguration naming the mapping, the relation and what the policy lacks
   */
  public void checkInventoryRelations(dev.weft.identity.IdentityPolicy policy) {
    if (mappings == null) {
      return;
    }
    for (InventoryMapping m : mappings.values()) {
      for (int i = 0; i < m.relations().size(); i++) {
        InventoryMapping.Relation r = m.relations().get(i);
        boolean named = policy.types().stream()
            .filter(t -> t.prefix().equals(r.to()))
            .anyMatch(t -> t.rules().stream().anyMatch(rule -> rule.strong()
                && rule.signals().size() == 1));
        if (!named) {
          throw new InvalidConfiguration("--inventoryMapping " + m.name() + ": relations/" + i
              + " ('" + r.edge() + "' to '" + r.to() + "'): the identity policy has no type with"
              + " prefix '" + r.to() + "' and a strong rule over one signal, so no record would"
              + " be bound to " + r.to() + ":<" + r.field() + ">; add one to the policy"
              + " (see testdata/policies/netbox.yaml)");
        }
      }
    }
  }

  /** What the user should know about the configuration (a built-in pattern overridden, ...). */
  public List<String> notices() {
    return List.copyOf(notices);
  }

  private InventoryMapping onlyMapping() {
    Map<String, InventoryMapping> m = mappings();
    if (m.size() != 1) {
      throw new InvalidConfiguration("format inventory needs exactly one --inventoryMapping "
          + "(given " + m.size() + "); with several, name one: inventory.NAME");
    }
    return m.values().iterator().next();
  }

  private Map<String, InventoryMapping> mappings() {
    if (mappings == null) {
      mappings = new LinkedHashMap<>();
      List<String> files = options.getInventoryMapping() == null ? List.of()
          : options.getInventoryMapping();
      for (String f : files) {
        InventoryMapping m = load("--inventoryMapping", () -> {
          try {
            return InventoryMapping.load(Paths.get(f));
          } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
        });
        mappings.put(m.name(), m);
      }
    }
    return mappings;
  }

  private interface Loader<T> {
    T load();
  }

  private static <T> T load(String option, Loader<T> loader) {
    try {
      return loader.load();
    } catch (RuntimeException e) {
      throw new InvalidConfiguration(option + ": " + e.getMessage(), e);
    }
  }
}
