package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.weft.identity.BindingJson;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.IdentityResolver;
import dev.weft.identity.InMemoryAliasStore;
import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ExplainCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  private static Event log(String id, long s, String... signals) {
    Event.Builder b = Event.builder().eventId(id, IdKind.SOURCE_ID)
        .origin(Origin.file("json-logs", "/data/app.log").atLine(s)).kind(EventKind.LOG)
        .eventTime(T0.plusSeconds(s), TimeQuality.SOURCE).observedTime(T0.plusSeconds(s));
    for (int i = 0; i < signals.length; i += 2) {
      b.signal(signals[i], signals[i + 1]);
    }
    return b.build();
  }

  private static Event pod(String id, long s, String name, String ip) {
    return Event.builder().eventId(id, IdKind.SOURCE_ID).origin(Origin.file("k8s", "pods.yaml"))
        .eventTime(T0.plusSeconds(s), TimeQuality.SOURCE).observedTime(T0.plusSeconds(s))
        .config(new ConfigPart("Pod", Optional.of("v1"), ConfigOperation.ADDED, Optional.empty(),
            Optional.empty(), name, Optional.of("shop"), Optional.empty(), new TreeMap<>(),
            new TreeMap<>(), List.of()))
        .signal("k8s.namespace.name", "shop").signal("k8s.pod.name", name)
        .signal("k8s.pod.ip", ip).build();
  }

  /** Writes the bindings of a small story the way the pipeline's binding sink does. */
  private Path story() throws Exception {
    IdentityResolver resolver = new IdentityResolver(IdentityPolicy.defaultPolicy());
    InMemoryAliasStore store = new InMemoryAliasStore();
    List<String> lines = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (Event e : List.of(
        pod("pod-a", 0, "checkout-7d4f-a", "10.0.3.7"),
        log("log-1", 10, "k8s.pod.ip", "10.0.3.7"),
        log("log-2", 20, "k8s.pod.ip", "10.0.3.7"),
        pod("pod-b", 300, "checkout-7d4f-b", "10.0.3.7"),
        log("log-3", 310, "k8s.pod.ip", "10.0.3.7"),
        log("log-4", 320, "k8s.pod.ip", "10.0.9.9"))) {
      events.add(dev.weft.io.EventJson.toJson(e));
      for (Binding b : resolver.resolve(e, store).bindings()) {
        String json = BindingJson.toJson(b);
        assertThat(BindingJson.fromJson(json), is(b));
        lines.add(json);
      }
    }
    Path dir = tmp.newFolder("out").toPath();
    Files.write(dir.resolve("bindings-00000-of-00001.jsonl"), lines, StandardCharsets.UTF_8);
    Files.write(dir.resolve("events-00000-of-00001.jsonl"), events, StandardCharsets.UTF_8);
    return dir;
  }

  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = ExplainCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return code + "\n" + bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void explainsBoundIdentitiesOfAnEntity() throws Exception {
    Path dir = story();
    String out = run("explain", "k8s.pod:shop/checkout-7d4f-a", "--output=" + dir);
    System.out.println(out);
    assertThat(out, containsString("0\nentity k8s.pod:shop/checkout-7d4f-a (type k8s.pod)"));
    assertThat(out, containsString("BOUND by pod-namespace-name on {k8s.namespace.name=shop, "
        + "k8s.pod.name=checkout-7d4f-a}"));
    assertThat(out, containsString("ALIASED by pod-ip on {k8s.pod.ip=10.0.3.7}, confidence 0.90:"
        + " 2 event(s)"));
  }

  @Test
  public void explainsAProvisionalEntityAndWhyItWasRefused() throws Exception {
    Path dir = story();
    String out = run("explain", "k8s.pod~10.0.9.9", "--output=" + dir);
    System.out.println(out);
    assertThat(out, containsString("provisional"));
    assertThat(out, containsString("why: no alias of block key '10.0.9.9'"));
  }

  @Test
  public void unknownEntityAndMissingOutputAreReported() throws Exception {
    Path dir = story();
    assertThat(run("explain", "k8s.pod:shop/nope", "--output=" + dir),
        containsString("4\nentity k8s.pod:shop/nope: no binding names it"));
    assertThat(run("explain", "x", "--output=" + tmp.newFolder("empty")),
        containsString("no bindings-*.jsonl"));
    assertThat(run("explain"), containsString("usage"));
  }

  @Test
  public void anAliasNamesTheEventThatTaughtItAndItsValidity() throws Exception {
    String out = run("explain", "k8s.pod:shop/checkout-7d4f-a", "--output=" + story());
    assertThat(out, containsString("why: alias taught by pod-a, valid from 2024-03-01T10:00:00Z"));
  }

  @Test
  public void explainsWhichEntitiesOneEventWasBoundToAndWhy() throws Exception {
    Path dir = story();
    String out = run("explain", "--event=log-3", "--output=" + dir);
    System.out.println(out);
    assertThat(out, containsString("0\nevent log-3 at 2024-03-01T10:05:10Z: bound to 1 entity"));
    assertThat(out, containsString("k8s.pod k8s.pod:shop/checkout-7d4f-b: ALIASED by pod-ip on "
        + "{k8s.pod.ip=10.0.3.7}, confidence 0.90"));
    assertThat(out, containsString("why: alias taught by pod-b, valid from 2024-03-01T10:05:00Z"));
    assertThat(run("explain", "--event=nope", "--output=" + dir),
        containsString("4\nevent nope: no binding names it"));
  }

  @Test
  public void explainsALineOfAnInputFile() throws Exception {
    Path dir = story();
    // log-4 is the line at second 320 of /data/app.log; an operator may give the path as run.
    String out = run("explain", "--record=data/app.log:320", "--output=" + dir);
    System.out.println(out);
    assertThat(out, containsString("0\nrecord data/app.log:320 became 1 event(s): log-4"));
    assertThat(out, containsString("k8s.pod k8s.pod~10.0.9.9: REFUSED_BELOW_FLOOR"));
    assertThat(out, containsString("why: no alias of block key '10.0.9.9'"));
    assertThat(run("explain", "--record=data/app.log:999", "--output=" + dir),
        containsString("4\nrecord data/app.log:999: no event or dead letter"));
    assertThat(run("explain", "--record=app.log", "--output=" + dir),
        containsString("--record=PATH:LINE names a line"));
  }

  @Test
  public void aRefusalWithNoCandidateIsShownNearTheEntityWhoseValueItCarried() throws Exception {
    IdentityResolver resolver = new IdentityResolver(IdentityPolicy.defaultPolicy());
    InMemoryAliasStore store = new InMemoryAliasStore();
    List<String> lines = new ArrayList<>();
    // The line comes before the pod is known: no candidate at its time.
    for (Event e : List.of(log("early", 0, "k8s.pod.ip", "10.0.3.7"),
        pod("pod-a", 120, "checkout-7d4f-a", "10.0.3.7"),
        log("later", 130, "k8s.pod.ip", "10.0.3.7"))) {
      for (Binding b : resolver.resolve(e, store).bindings()) {
        lines.add(BindingJson.toJson(b));
      }
    }
    Path dir = tmp.newFolder("early").toPath();
    Files.write(dir.resolve("bindings-00000-of-00001.jsonl"), lines, StandardCharsets.UTF_8);
    String out = run("explain", "k8s.pod:shop/checkout-7d4f-a", "--output=" + dir);
    System.out.println(out);
    assertThat(out, containsString("refused near it (1):"));
    assertThat(out, containsString("REFUSED_BELOW_FLOOR {k8s.pod.ip=10.0.3.7} kept as "
        + "k8s.pod~10.0.3.7 (no candidate at its time): 1 event(s), e.g. early"));
  }
}
