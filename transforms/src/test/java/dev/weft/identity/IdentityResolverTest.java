package dev.weft.identity;

import static dev.weft.identity.Events.log;
import static dev.weft.identity.Events.pod;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class IdentityResolverTest {
  private final IdentityResolver resolver = new IdentityResolver(IdentityPolicy.defaultPolicy());
  private final InMemoryAliasStore store = new InMemoryAliasStore();

  private Binding binding(Event e, String type) {
    return resolver.resolve(e, store).bindings().stream()
        .filter(b -> b.entityType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  public void strongIdentifierBindsAtOnceWithItsRuleAndSignals() {
    Binding b = binding(log("e1", 0, "service.name", " checkout ", "service.namespace", "shop"),
        "service");
    assertThat(b.decision(), is(Decision.BOUND));
    assertThat(b.entityId(), is("service:shop/checkout"));
    assertThat(b.rule(), is(Optional.of("service-namespace-name")));
    assertThat(b.signals(), hasEntry("service.name", "checkout"));
    assertThat(b.confidence(), is(1.0));
  }

  @Test
  public void bareServiceNameBindsToTheOneNamespaceThatClaimedItAndClaimsNothingItself() {
    Binding alone = binding(log("z1", 0, "service.name", "frontend"), "service");
    assertThat(alone.decision(), is(Decision.BOUND));
    assertThat(alone.entityId(), is("service:frontend"));
    assertThat(alone.rule(), is(Optional.of("service-name")));
    binding(log("o1", 5, "service.namespace", "shop", "service.name", "frontend"), "service");
    // Had the bare record claimed "frontend" for service:frontend, this would be a conflict.
    Binding later = binding(log("z2", 9, "service.name", "frontend"), "service");
    assertThat(later.decision(), is(Decision.ALIASED));
    assertThat(later.entityId(), is("service:shop/frontend"));
    assertThat(later.reason().orElseThrow(), containsString("claim taught by o1"));
  }

  @Test
  public void bareServiceNameTwoNamespacesClaimedIsRefusedWithBothNamed() {
    binding(log("b1", 0, "service.namespace", "billing", "service.name", "api"), "service");
    binding(log("s1", 1, "service.namespace", "shipping", "service.name", "api"), "service");
    Binding bare = binding(log("z1", 2, "service.name", "api"), "service");
    assertThat(bare.decision(), is(Decision.CONFLICT));
    assertThat(bare.entityId(), is("service~api"));
    assertThat(bare.candidates(), contains("service:billing/api", "service:shipping/api"));
    assertThat(bare.reason().orElseThrow(), containsString("never merged"));
  }

  @Test
  public void podNamedByUidAloneIsThePodTheObjectNamedWithThatUid() {
    binding(pod("p1", 0, ConfigOperation.ADDED, "shop", "cart-1", "uid-1", "10.0.0.5"),
        "k8s.pod");
    Binding byUid = binding(log("l1", 60, "k8s.pod.uid", "UID-1"), "k8s.pod");
    assertThat(byUid.decision(), is(Decision.ALIASED));
    assertThat(byUid.entityId(), is("k8s.pod:shop/cart-1"));
    Binding stranger = binding(log("l2", 60, "k8s.pod.uid", "uid-2"), "k8s.pod");
    assertThat(stranger.decision(), is(Decision.BOUND));
    assertThat(stranger.entityId(), is("k8s.pod:uid-2"));
  }

  /**
   * A container named by pod and container name (no runtime id) is the named container of that
   * pod, the id the Pod object's spec gives it in the graph; never another container of the pod,
   * never the same name in another pod; the running container (container.id) is its own entity.
   */
  @Test
  public void containerNamedByPodAndNameIsThatPodsNamedContainerOnly() {
    Binding app = binding(log("c1", 0, "k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", " app "), "k8s.container");
    assertThat(app.decision(), is(Decision.BOUND));
    assertThat(app.entityId(), is("k8s.container:shop/web-0/app"));
    assertThat(app.rule(), is(Optional.of("container-pod-name")));
    assertThat(binding(log("c2", 1, "k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", "sidecar"), "k8s.container").entityId(),
        is("k8s.container:shop/web-0/sidecar"));
    assertThat(binding(log("c3", 2, "k8s.namespace.name", "shop", "k8s.pod.name", "web-1",
        "k8s.container.name", "app"), "k8s.container").entityId(),
        is("k8s.container:shop/web-1/app"));
    IdentityResolver.Resolution both = resolver.resolve(log("c4", 3, "container.id",
        "containerd://ABC123", "k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", "app"), store);
    assertThat(both.resolved().subject(), is("container:abc123"));
    assertThat(both.resolved().entities(), hasEntry("k8s.container",
        "k8s.container:shop/web-0/app"));
    // The subject of a line with names only is the container, not the pod.
    assertThat(resolver.resolve(log("c5", 4, "k8s.namespace.name", "shop", "k8s.pod.name",
        "web-0", "k8s.container.name", "app"), store).resolved().subject(),
        is("k8s.container:shop/web-0/app"));
    // Without its namespace a pod name names no pod, and so no container of one.
    assertThat(resolver.resolve(log("c6", 5, "k8s.pod.name", "web-0", "k8s.container.name",
        "app"), store).bindings().stream().map(Binding::entityType).toList(),
        org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("k8s.container")));
  }

  @Test
  public void normalizersMakeSpellingsOfOneIdentifierEqual() {
    Binding a = binding(log("e1", 0, "container.id", "containerd://ABC123"), "container");
    Binding b = binding(log("e2", 1, "container.id", "abc123"), "container");
    assertThat(a.entityId(), is("container:abc123"));
    assertThat(b.entityId(), is(a.entityId()));
  }

  @Test
  public void weakSignalIsAliasedThroughWhatAStrongEventTaught() {
    resolver.resolve(pod("p1", 0, ConfigOperation.ADDED, "shop", "cart-1", "uid-1", "10.0.0.5"),
        store);
    Binding b = binding(log("e1", 30, "k8s.pod.ip", "10.0.0.05"), "k8s.pod");
    assertThat(b.decision(), is(Decision.ALIASED));
    assertThat(b.entityId(), is("k8s.pod:shop/cart-1"));
    assertThat(b.rule(), is(Optional.of("pod-ip")));
    assertThat(b.signals(), hasEntry("k8s.pod.ip", "10.0.0.5"));
    assertThat(b.confidence(), is(0.9));
  }

  @Test
  public void unknownWeakSignalIsRefusedAndKeptUnderItsOwnProvisionalEntity() {
    Binding b = binding(log("e1", 0, "k8s.pod.ip", "10.9.9.9"), "k8s.pod");
    assertThat(b.decision(), is(Decision.REFUSED_BELOW_FLOOR));
    assertThat(b.entityId(), is("k8s.pod~10.9.9.9"));
    assertThat(b.candidates(), empty());
    assertThat(b.reason().orElseThrow(), containsString("no alias"));
  }

  @Test
  public void candidateBelowTheFloorIsRefusedAndNamed() {
    IdentityPolicy strict = IdentityPolicy.parse(String.join("\n",
        "floor: 0.9",
        "types:",
        "  - type: host",
        "    rules:",
        "      - {name: host-name, signals: [host.name], strong: true}",
        "      - {name: host-ip, signals: [host.ip], weight: 0.6}",
        "    block: {signals: [host.ip], exclusive: true}"), "strict.yaml");
    IdentityResolver r = new IdentityResolver(strict);
    r.resolve(log("e1", 0, "host.name", "db-1", "host.ip", "10.0.0.7"), store);
    Binding b = r.resolve(log("e2", 5, "host.ip", "10.0.0.7"), store).bindings().get(0);
    assertThat(b.decision(), is(Decision.REFUSED_BELOW_FLOOR));
    assertThat(b.candidates(), contains("host:db-1"));
    assertThat(b.confidence(), is(0.6));
    assertThat(b.entityId(), is("host~10.0.0.7"));
  }

  @Test
  public void twoCandidatesOverTheFloorAreAConflictAndNeitherIsChosen() {
    resolver.resolve(log("i1", 0, "service.name", "cart", "service.instance.id", "i-1",
        "host.name", "node-a"), store);
    resolver.resolve(log("i2", 1, "service.name", "cart", "service.instance.id", "i-2",
        "host.name", "node-a"), store);
    Binding b = binding(log("z1", 10, "service.name", "cart", "host.name", "node-a"),
        "service.instance");
    assertThat(b.decision(), is(Decision.CONFLICT));
    assertThat(b.candidates(), contains("service.instance:cart/i-1", "service.instance:cart/i-2"));
    assertThat(b.entityId(), is("service.instance~cart/node-a"));
  }

  @Test
  public void reusedIpResolvesToThePodThatOwnedItAtTheEventsTime() {
    resolver.resolve(pod("a", 0, ConfigOperation.ADDED, "shop", "cart-a", "uid-a", "10.0.0.5"),
        store);
    resolver.resolve(pod("a-del", 100, ConfigOperation.DELETED, "shop", "cart-a", "uid-a",
        "10.0.0.5"), store);
    resolver.resolve(pod("b", 200, ConfigOperation.ADDED, "shop", "cart-b", "uid-b", "10.0.0.5"),
        store);
    assertThat(binding(log("l1", 50, "k8s.pod.ip", "10.0.0.5"), "k8s.pod").entityId(),
        is("k8s.pod:shop/cart-a"));
    assertThat(binding(log("l2", 250, "k8s.pod.ip", "10.0.0.5"), "k8s.pod").entityId(),
        is("k8s.pod:shop/cart-b"));
    // Between A's deletion and B's creation the IP belonged to no known pod: refused, not merged.
    Binding gap = binding(log("l3", 150, "k8s.pod.ip", "10.0.0.5"), "k8s.pod");
    assertThat(gap.decision(), is(Decision.REFUSED_BELOW_FLOOR));
  }

  @Test
  public void reusedIpOutOfOrderStillSplitsByTime() {
    // B's sighting is learned first; A's earlier sighting must not take over B's time.
    resolver.resolve(pod("b", 200, ConfigOperation.ADDED, "shop", "cart-b", "uid-b", "10.0.0.5"),
        store);
    resolver.resolve(pod("a", 0, ConfigOperation.ADDED, "shop", "cart-a", "uid-a", "10.0.0.5"),
        store);
    assertThat(binding(log("l1", 50, "k8s.pod.ip", "10.0.0.5"), "k8s.pod").entityId(),
        is("k8s.pod:shop/cart-a"));
    assertThat(binding(log("l2", 250, "k8s.pod.ip", "10.0.0.5"), "k8s.pod").entityId(),
        is("k8s.pod:shop/cart-b"));
  }

  @Test
  public void spanIsAboutSeveralEntitiesAndItsSubjectIsTheMostSpecific() {
    Event span = log("s1", 0, "service.name", "cart", "service.instance.id", "i-1",
        "host.name", "Node-A.", "k8s.namespace.name", "shop", "k8s.pod.name", "cart-1");
    var resolved = resolver.resolve(span, store).resolved();
    assertThat(resolved.entities(), hasEntry("host", "host:node-a"));
    assertThat(resolved.entities(), hasEntry("k8s.pod", "k8s.pod:shop/cart-1"));
    assertThat(resolved.entities(), hasEntry("k8s.namespace", "k8s.namespace:shop"));
    // LOG kind: the pod is more specific than the service instance.
    assertThat(resolved.subject(), is("k8s.pod:shop/cart-1"));
  }

  @Test
  public void eventWithoutSignalsIsAboutItsSource() {
    var r = resolver.resolve(log("x", 0), store);
    assertThat(r.resolved().subject(), is("source:test/hand-made"));
    assertThat(r.bindings(), empty());
  }

  @Test
  public void configObjectOfAnUnlistedKindIsItsOwnSubject() {
    Event e = pod("p", 0, ConfigOperation.SNAPSHOT, "shop", "cart-1", "u", "10.0.0.1");
    assertThat(resolver.resolve(e, store).resolved().subject(), is("k8s.pod:shop/cart-1"));
  }

  @Test
  public void provisionalIdsOfLongValueListsAreShortHashes() {
    IdentityPolicy.EntityType person = IdentityPolicy.parse(String.join("\n",
        "floor: 0.9",
        "types:",
        "  - type: person",
        "    teach: all",
        "    rules:",
        "      - {name: name, signals: [a, b, c], weight: 0.95}",
        "    block: {signals: [c]}"), "p.yaml").types().get(0);
    String id = IdentityResolver.provisionalId(person, new java.util.TreeMap<>(java.util.Map.of(
        "a", "x".repeat(50), "b", "y".repeat(50), "c", "z")));
    assertThat(id.length(), equalTo("person~".length() + 16));
    assertThat(List.of(id).get(0).startsWith("person~"), is(true));
  }

  @Test
  public void aSlashInsideAValueIsEscapedSoTwoServicesNeverShareAnId() {
    Binding namespaced = binding(log("e1", 0, "service.namespace", "billing", "service.name",
        "api"), "service");
    Binding slashed = binding(log("e2", 0, "service.name", "billing/api"), "service");
    assertThat(namespaced.entityId(), is("service:billing/api"));
    assertThat(slashed.entityId(), is("service:billing%2Fapi"));
    assertThat(IdentityResolver.escape("50%/x"), is("50%25%2Fx"));
  }

  @Test
  public void aPlaceholderNamespaceIsAbsent() {
    Binding b = binding(log("e1", 0, "service.namespace", "unknown", "service.name", "cart"),
        "service");
    assertThat(b.entityId(), is("service:cart"));
    assertThat(Normalizer.PLACEHOLDER_ABSENT.apply("unknown_service:java"), is(Optional.empty()));
    assertThat(Normalizer.PLACEHOLDER_ABSENT.apply(" - "), is(Optional.empty()));
    assertThat(Normalizer.PLACEHOLDER_ABSENT.apply("unknowns"), is(Optional.of("unknowns")));
  }
}
