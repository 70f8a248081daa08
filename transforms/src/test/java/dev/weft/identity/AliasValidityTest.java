package dev.weft.identity;

import static dev.weft.identity.Events.log;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * When an alias is valid, independently of arrival and file times: the look-back before a first
 * sighting (an instance's log line a little before the span that teaches the alias), and
 * snapshot records (no time column: valid for the whole run).
 */
public class AliasValidityTest {
  private static IdentityResolver instances(String lookBack) {
    return new IdentityResolver(IdentityPolicy.parse(String.join("\n",
        "floor: 0.8",
        "types:",
        "  - type: service.instance",
        "    rules:",
        "      - {name: id, signals: [service.name, service.instance.id], strong: true}",
        "      - {name: on-host, signals: [service.name, host.name], weight: 0.9}",
        "    block: {signals: [service.name]" + lookBack + "}"), "instances.yaml"));
  }

  private static IdentityResolver pods(String lookBack) {
    return new IdentityResolver(IdentityPolicy.parse(String.join("\n",
        "floor: 0.8",
        "types:",
        "  - type: k8s.pod",
        "    config-kinds: [Pod]",
        "    rules:",
        "      - {name: ns-name, signals: [k8s.namespace.name, k8s.pod.name], strong: true}",
        "      - {name: pod-ip, signals: [k8s.pod.ip], weight: 0.9}",
        "    block: {signals: [k8s.pod.ip], exclusive: true" + lookBack + "}"), "pods.yaml"));
  }

  /** The whole timeline first (as the batch path learns it), then one decision. */
  private static Binding decide(IdentityResolver r, List<Event> teachers, Event query) {
    List<Alias> entries = new ArrayList<>();
    for (Event t : teachers) {
      for (Alias a : r.plan(t).teachings()) {
        entries = r.learn(entries, a);
      }
    }
    IdentityResolver.WeakQuery q = r.plan(query).queries().get(0);
    return r.decideWeak(query, q, entries, 0);
  }

  private static final Event SPAN_AT_5 = log("span", 5, "service.name", "checkout",
      "service.instance.id", "i-1", "host.name", "node-1");
  private static final Event LOG_AT_3 = log("line", 3, "service.name", "checkout",
      "host.name", "node-1");

  @Test
  public void aLogLineJustBeforeTheTeachingSpanBindsWithinTheLookBack() {
    Binding b = decide(instances(", look-back: PT10S"), List.of(SPAN_AT_5), LOG_AT_3);
    assertThat(b.decision(), is(Decision.ALIASED));
    assertThat(b.entityId(), is("service.instance:checkout/i-1"));
    assertThat(b.reason().orElseThrow(), is("alias taught by span, valid from "
        + "2024-03-01T10:00:05Z (last seen 2024-03-01T10:00:05Z); the event precedes the first "
        + "sighting, within the look-back PT10S"));
  }

  @Test
  public void withoutLookBackTheSameLineIsRefused() {
    assertThat(decide(instances(""), List.of(SPAN_AT_5), LOG_AT_3).decision(),
        is(Decision.REFUSED_BELOW_FLOOR));
    assertThat(decide(instances(", look-back: PT1S"), List.of(SPAN_AT_5), LOG_AT_3).decision(),
        is(Decision.REFUSED_BELOW_FLOOR));
  }

  private static Event pod(String id, long seconds, ConfigOperation op, String name) {
    return Events.pod(id, seconds, op, "shop", name, "uid-" + name, "10.0.0.7");
  }

  @Test
  public void anExclusiveKeyLooksBackOnlyWhenNobodyOwnedItThen() {
    IdentityResolver r = pods(", look-back: PT10S");
    List<Event> timeline = List.of(pod("a", 0, ConfigOperation.ADDED, "a"),
        pod("a-gone", 50, ConfigOperation.DELETED, "a"),
        pod("b", 100, ConfigOperation.ADDED, "b"));
    // Owned by a: a's, whatever b's look-back says.
    assertThat(decide(r, timeline, log("l1", 40, "k8s.pod.ip", "10.0.0.7")).entityId(),
        is("k8s.pod:shop/a"));
    // a deleted at 50, b first seen at 100: 95 is within b's look-back.
    assertThat(decide(r, timeline, log("l2", 95, "k8s.pod.ip", "10.0.0.7")).entityId(),
        is("k8s.pod:shop/b"));
    // 60 is not: nobody.
    assertThat(decide(r, timeline, log("l3", 60, "k8s.pod.ip", "10.0.0.7")).decision(),
        is(Decision.REFUSED_BELOW_FLOOR));
  }

  /** A host inventory row: no time column, so its time is the file's (a fallback). */
  private static Event inventoryRow(long fileSeconds, TimeQuality quality) {
    return Event.builder().eventId("row-1", IdKind.SOURCE_ID)
        .origin(Origin.file("inventory", "hosts.csv")).kind(EventKind.INVENTORY)
        .eventTime(Events.at(fileSeconds), quality).observedTime(Events.at(fileSeconds))
        .signal("host.name", "db-1").signal("host.ip", "10.1.0.9").build();
  }

  @Test
  public void aSnapshotRowIsValidForTheWholeRunWhateverItsFileTime() {
    IdentityResolver r = new IdentityResolver(IdentityPolicy.defaultPolicy());
    Event line = log("l", 0, "host.ip", "10.1.0.9");
    for (long fileTime : new long[] {-100_000, 3_600, 86_400 * 30}) {
      Binding b = decide(r, List.of(inventoryRow(fileTime, TimeQuality.FALLBACK)), line);
      assertThat("file time " + fileTime, b.entityId(), is("host:db-1"));
      assertThat(b.decision(), is(Decision.ALIASED));
      assertThat(b.reason().orElseThrow(),
          is("alias taught by row-1, a snapshot record: valid for the whole run"));
    }
    // The same row with a time of its own is only valid from that time (the ttl is a day).
    assertThat(decide(r, List.of(inventoryRow(3_600, TimeQuality.SOURCE)), line).decision(),
        is(Decision.REFUSED_BELOW_FLOOR));
  }

  @Test
  public void fallbackTimesNeverOrderDecisions() {
    Event early = inventoryRow(5, TimeQuality.FALLBACK);
    Event late = log("x", 1, "host.ip", "10.1.0.9");
    assertThat(IdentityResolver.orderTime(early), is(java.time.Instant.MIN));
    assertThat(IdentityResolver.orderTime(late), is(Events.at(1)));
  }
}
