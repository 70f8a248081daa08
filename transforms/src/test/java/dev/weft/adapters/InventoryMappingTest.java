package dev.weft.adapters;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.junit.Assert.assertThrows;

import dev.weft.testing.RealData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.junit.Test;

public class InventoryMappingTest {

  private static InventoryMapping load(String yaml) throws IOException {
    return InventoryMapping.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "m.yaml");
  }

  private static InventoryMappingException problem(String yaml) {
    return assertThrows(InventoryMappingException.class, () -> load(yaml));
  }

  @Test
  public void projectMappingsLoad() throws IOException {
    for (String f : new String[] {"febrl.yaml", "splink.yaml", "cmdb-hosts.yaml",
        "cmdb-services.yaml"}) {
      InventoryMapping m = InventoryMapping.load(RealData.testdata("inventory/" + f));
      assertThat(f, m.entityType().isEmpty(), equalTo(false));
    }
    InventoryMapping hosts = InventoryMapping.load(RealData.testdata("inventory/cmdb-hosts.yaml"));
    assertThat(hosts.time().get().zone(), equalTo(ZoneId.of("Europe/Paris")));
    assertThat(hosts.signals(), hasEntry("hostname", "host.name"));
  }

  @Test
  public void problemsNameTheFileThePlaceAndTheProblem() {
    InventoryMappingException e = problem("name: t\nentityType: host\n"
        + "time: {column: c, layout: iso, zone: Mars/Olympus}\n");
    assertThat(e.file(), equalTo("m.yaml"));
    assertThat(e.place(), equalTo("/time/zone"));
    assertThat(e.getMessage(), containsString("Mars/Olympus"));

    assertThat(problem("entityType: host\n").place(), equalTo("/name"));
    assertThat(problem("name: 'a:b'\nentityType: host\n").place(), equalTo("/name"));
    assertThat(problem("name: t\nentityType: host\nsignal: {a: b}\n").problem(),
        containsString("unknown key 'signal'"));
    assertThat(problem("name: t\nentityType: host\ntime: {column: c, layout: 'yyyy-qq-ZZZZZZZ"
        + "ppp{'}\n").place(), equalTo("/time/layout"));
    assertThat(problem("name: t\nentityType: host\nsignals: [a, b]\n").place(),
        equalTo("/signals"));
    assertThat(problem("name: t\nentityType: host\nsignals: {a: 3}\n").place(),
        equalTo("/signals/a"));
    assertThat(problem("name: t\nentityType: host\nsignals: {a: x, b: x}\n").problem(),
        containsString("both map to signal 'x'"));
    assertThat(problem("name: t\nentityType: host\nsignals: {a: x}\nignore: [a]\n").place(),
        equalTo("/ignore/0"));
    assertThat(problem("name: t\nentityType: host\nattributes: {a: weft.entity.type}\n")
        .place(), equalTo("/attributes/a"));
    assertThat(problem("name: t\nentityType: host\ncsv: {separator: ';;'}\n").place(),
        equalTo("/csv/separator"));
    assertThat(problem("name: t\nentityType: host\ncsv: {columns: [a]}\nid: b\n").place(),
        equalTo("/id"));
    assertThat(problem("name: t\nentityType: host\ninput: xml\n").place(), equalTo("/input"));
    assertThat(problem("").problem(), containsString("empty"));
    assertThat(problem("- a\n- b\n").place(), equalTo("/"));
    assertThat(problem("name: [unclosed\n").problem(), containsString("not well-formed YAML"));
  }
}
