package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.Test;

/**
 * The default policy on real third-party samples, read with minimal parsing here (the adapters
 * live on other branches): OTLP resource attributes, Zipkin endpoints, Kubernetes pods.
 */
public class RealSamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final IdentityResolver resolver = new IdentityResolver(IdentityPolicy.defaultPolicy());
  private final InMemoryAliasStore store = new InMemoryAliasStore();

  private static Event.Builder event(String id, String format, long micros) {
    Instant t = Instant.EPOCH.plusNanos(micros * 1000);
    return Event.builder().eventId(id, IdKind.SOURCE_ID).origin(Origin.file(format, "sample"))
        .kind(EventKind.SPAN).eventTime(t, TimeQuality.SOURCE).observedTime(t);
  }

  private List<Binding> bindings(Event e, String type) {
    return resolver.resolve(e, store).bindings().stream()
        .filter(b -> b.entityType().equals(type)).toList();
  }

  @Test
  public void otlpResourceAttributesBindTheService() throws Exception {
    JsonNode root = JSON.readTree(RealData.bytes("otlp/trace.json"));
    int spans = 0;
    for (JsonNode rs : root.get("resourceSpans")) {
      TreeMap<String, String> resource = new TreeMap<>();
      for (JsonNode a : rs.path("resource").path("attributes")) {
        resource.put(a.get("key").asText(), a.get("value").path("stringValue").asText());
      }
      for (JsonNode ss : rs.get("scopeSpans")) {
        for (JsonNode s : ss.get("spans")) {
          Event e = event(s.get("spanId").asText(), "otlp-traces",
              Long.parseLong(s.get("startTimeUnixNano").asText()) / 1000).signals(resource)
              .build();
          var r = resolver.resolve(e, store);
          assertThat(r.bindings().get(0).decision(), is(Decision.BOUND));
          assertThat(r.resolved().entities(), hasEntry("service", "service:my.service"));
          assertThat(r.resolved().subject(), is("service:my.service"));
          spans++;
        }
      }
    }
    assertThat(spans > 0, is(true));
  }

  /** Zipkin spans as the trace adapter maps them: localEndpoint to service.name and host.ip. */
  private List<Event> zipkin(String file) throws Exception {
    List<Event> out = new ArrayList<>();
    for (JsonNode s : JSON.readTree(RealData.bytes("zipkin/" + file))) {
      JsonNode local = s.path("localEndpoint");
      Event.Builder b = event(s.get("id").asText() + "-" + s.path("kind").asText("LOCAL"),
          "zipkin", s.path("timestamp").asLong(0));
      if (local.has("serviceName")) {
        b.signal("service.name", local.get("serviceName").asText());
      }
      if (local.has("ipv4")) {
        b.signal("host.ip", local.get("ipv4").asText());
      }
      out.add(b.build());
    }
    return out;
  }

  @Test
  public void zipkinEndpointsBindServicesAndRefuseUnknownInstancesAndHosts() throws Exception {
    for (Event e : zipkin("yelp.json")) {
      assertThat(bindings(e, "service").get(0).decision(), is(Decision.BOUND));
    }
    List<Binding> instances = new ArrayList<>();
    List<Binding> hosts = new ArrayList<>();
    for (Event e : zipkin("messaging.json")) {
      instances.addAll(bindings(e, "service.instance"));
      hosts.addAll(bindings(e, "host"));
    }
    // Nothing strong ever named an instance or host behind 192.168.0.10: refused, kept apart.
    assertThat(instances.stream().map(Binding::decision).toList(),
        everyItem(is(Decision.REFUSED_BELOW_FLOOR)));
    assertThat(instances.stream().map(Binding::entityId).toList(),
        hasItem("service.instance~backend/192.168.0.10"));
    assertThat(hosts.stream().map(Binding::entityId).toList(),
        everyItem(is("host~192.168.0.10")));
  }

  @Test
  public void zipkinEndpointIsAliasedToTheInstanceAnOtlpResourceTaught() throws Exception {
    List<Event> spans = zipkin("messaging.json");
    Event backend = spans.stream()
        .filter(e -> "backend".equals(e.signals().get("service.name"))).findFirst().orElseThrow();
    // An OTLP resource seen a minute earlier (within the policy's 24 h ttl) names the instance.
    long earlier = (backend.eventTime().toEpochMilli() - 60_000) * 1000;
    resolver.resolve(event("otlp-1", "otlp-traces", earlier).signal("service.name", "backend")
        .signal("service.instance.id", "backend-7f9c").signal("host.name", "app-1")
        .signal("host.ip", "192.168.0.10").build(), store);
    Binding instance = bindings(backend, "service.instance").get(0);
    assertThat(instance.decision(), is(Decision.ALIASED));
    assertThat(instance.entityId(), is("service.instance:backend/backend-7f9c"));
    assertThat(instance.rule(), is(Optional.of("service-on-ip")));
    Binding host = bindings(backend, "host").get(0);
    assertThat(host.decision(), is(Decision.ALIASED));
    assertThat(host.entityId(), is("host:app-1"));
    // frontend shares the IP but no frontend instance was ever taught: refused, not merged.
    Event frontend = spans.stream()
        .filter(e -> "frontend".equals(e.signals().get("service.name"))).findFirst().orElseThrow();
    assertThat(bindings(frontend, "service.instance").get(0).decision(),
        is(Decision.REFUSED_BELOW_FLOOR));
  }

  @Test
  public void kubernetesPodsAreTheirOwnSubjectsWithWorkloadsAndNodes() throws Exception {
    Path dir = RealData.path("kubernetes/popeye/core/pod");
    int pods = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
      for (Path f : files) {
        JsonNode list = YAML.readTree(f.toFile());
        for (JsonNode item : list.path("items")) {
          if (!item.path("kind").asText().equals("Pod")) {
            continue;
          }
          JsonNode meta = item.get("metadata");
          String ns = meta.path("namespace").asText("default");
          String name = meta.get("name").asText();
          ConfigPart part = new ConfigPart("Pod", Optional.of("v1"), ConfigOperation.SNAPSHOT,
              Optional.empty(), Optional.empty(), name, Optional.of(ns), Optional.empty(),
              new TreeMap<>(), new TreeMap<>(), List.of());
          Event.Builder b = Event.builder().eventId(f.getFileName() + "/" + name,
              IdKind.SOURCE_ID).origin(Origin.file("k8s", f.toString()))
              .eventTime(Instant.EPOCH, TimeQuality.FALLBACK).observedTime(Instant.EPOCH)
              .config(part).signal("k8s.namespace.name", ns).signal("k8s.pod.name", name)
              .signal("k8s.node.name", item.path("spec").path("nodeName").asText(null))
              .signal("k8s.pod.ip", item.path("status").path("podIP").asText(null));
          String owner = null;
          for (JsonNode ref : meta.path("ownerReferences")) {
            owner = ref.get("name").asText();
            b.signal("k8s." + ref.get("kind").asText().toLowerCase() + ".name", owner);
          }
          var r = resolver.resolve(b.build(), store);
          assertThat(r.resolved().subject(), is("k8s.pod:" + ns + "/" + name));
          assertThat(r.bindings().get(0).decision(), is(Decision.BOUND));
          if (owner != null) {
            assertThat(r.resolved().entities().values(), hasItem(startsWith("k8s.")));
          }
          pods++;
        }
      }
    }
    assertThat(pods > 3, is(true));
  }
}
