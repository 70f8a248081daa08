package dev.weft.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.Test;

/** Node types from entity ids: provisional and IPv6 ids keep their entity's type. */
public class EntityIdsTest {
  @Test
  public void boundIdsAreTypedByTheirPrefix() {
    assertThat(EntityIds.type("k8s.pod:shop/checkout-7d4f-a"), is("k8s.pod"));
    assertThat(EntityIds.type("external:2001:db8::1"), is("external"));
  }

  @Test
  public void provisionalIdsAreTypedByTheirPrefixNotUnknown() {
    assertThat(EntityIds.type("k8s.pod~10.0.9.9"), is("k8s.pod"));
    assertThat(EntityIds.type("service.instance~checkout/node-1"), is("service.instance"));
  }

  @Test
  public void provisionalIdsAreToldFromBoundOnesWhateverTheirValueHolds() {
    assertThat(EntityIds.isProvisional("host~10.0.0.1"), is(true));
    assertThat(EntityIds.isProvisional("host~2001:db8::1"), is(true));
    assertThat(EntityIds.isProvisional("host:node-1"), is(false));
    assertThat(EntityIds.isProvisional("external:a~b"), is(false));
    assertThat(EntityIds.isProvisional("no-separator"), is(false));
  }

  @Test
  public void anIpv6ValueNeverCutsTheType() {
    assertThat(EntityIds.type("host~2001:db8::1"), is("host"));
  }

  @Test
  public void anIdWithoutPrefixIsUnknown() {
    assertThat(EntityIds.type("no-separator"), is("unknown"));
    assertThat(EntityIds.type(":x"), is("unknown"));
  }
}
