package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The NetBox dumpdata sample (testdata/inventory/netbox-dump.json) through the real pipeline on
 * the Direct runner, read once by the three NetBox mappings, with the NetBox identity policy and
 * one Zipkin span whose endpoint carries the bare address of one of the dump's IPs.
 *
 * <p>The expected entities and edges are read from the dump here (each interface's {@code device},
 * each IP's {@code assigned_object_type}/{@code assigned_object_id}), not copied from Weft's
 * output.
 */
public class NetboxDumpTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WeftRun run;
  private static JsonNode dump;
  private static JsonNode graph;

  @BeforeClass
  public static void runTheDump() throws Exception {
    Path testdata = Paths.get(System.getProperty("weft.testdata", "../testdata"));
    dump = JSON.readTree(testdata.resolve("inventory/netbox-dump.json").toFile());
    Path in = TMP.newFolder("in").toPath();
    // A server span of web-01 whose endpoint is the bare address NetBox writes as 10.0.1.11/24.
    Files.writeString(in.resolve("span.json"), "[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
        + "\"id\":\"00f067aa0ba902b7\",\"name\":\"get /\",\"kind\":\"SERVER\","
        + "\"timestamp\":1715678000000000,\"duration\":1200,"
        + "\"localEndpoint\":{\"serviceName\":\"storefront\",\"ipv4\":\"10.0.1.11\"}}]");
    String inventory = testdata.resolve("inventory").toString();
    run = WeftRun.of(TMP.newFolder("out").toPath(),
        "--sources=inventory.netbox-device+netbox-interface+netbox-ipaddress:"
            + inventory + "/netbox-dump.json",
        "--sources=zipkin:" + in.resolve("span.json"),
        "--inventoryMapping=" + inventory + "/netbox-device.yaml",
        "--inventoryMapping=" + inventory + "/netbox-interface.yaml",
        "--inventoryMapping=" + inventory + "/netbox-ipaddress.yaml",
        "--policy=" + testdata.resolve("policies/netbox.yaml"));
    assertThat(run.toString(), run.exitCode, equalTo(0));
    graph = JSON.readTree(run.output.resolve("graph.json").toFile());
  }

  private static List<JsonNode> records(String model) {
    List<JsonNode> out = new ArrayList<>();
    dump.forEach(r -> {
      if (r.get("model").asText().equals(model)) {
        out.add(r);
      }
    });
    return out;
  }

  private static Set<String> nodeIds(String type) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode n : graph.get("nodes")) {
      if (n.get("type").asText().equals(type)) {
        ids.add(n.get("id").asText());
      }
    }
    return ids;
  }

  private static Set<String> edges(String relation) {
    Set<String> out = new TreeSet<>();
    for (JsonNode e : graph.get("edges")) {
      if (e.get("relation").asText().equals(relation)) {
        out.add(e.get("from").asText() + " -> " + e.get("to").asText());
      }
    }
    return out;
  }

  /** "10.0.1.11/24" -> "10.0.1.11"; IPv6 in the sample is already written canonically. */
  private static String bare(String cidr) {
    return cidr.substring(0, cidr.indexOf('/'));
  }

  @Test
  public void devicesInterfacesAndAddressesAreEntities() {
    Set<String> devices = new TreeSet<>();
    records("dcim.device").forEach(r -> devices.add("netbox.device:" + r.get("pk").asText()));
    Set<String> interfaces = new TreeSet<>();
    records("dcim.interface").forEach(r ->
        interfaces.add("netbox.interface:" + r.get("pk").asText()));
    Set<String> ips = new TreeSet<>();
    records("ipam.ipaddress").forEach(r ->
        ips.add("ip:" + bare(r.get("fields").get("address").asText())));
    assertThat(nodeIds("netbox.device"), equalTo(devices));
    assertThat(nodeIds("netbox.interface"), equalTo(interfaces));
    assertThat(nodeIds("ip"), equalTo(ips));
    assertThat(ips, hasItem("ip:2001:db8:0:1::1"));
  }

  @Test
  public void interfacesArePartOfTheirDeviceAndAddressesAssignedToTheirInterface() {
    Set<String> partOf = new TreeSet<>();
    records("dcim.interface").forEach(r -> partOf.add("netbox.interface:" + r.get("pk").asText()
        + " -> netbox.device:" + r.get("fields").get("device").asText()));
    Set<String> assignedTo = new TreeSet<>();
    for (JsonNode r : records("ipam.ipaddress")) {
      JsonNode f = r.get("fields");
      if (f.get("assigned_object_type").toString().equals("[\"dcim\",\"interface\"]")) {
        assignedTo.add("ip:" + bare(f.get("address").asText()) + " -> netbox.interface:"
            + f.get("assigned_object_id").asText());
      }
    }
    assertThat(assignedTo.size(), equalTo(4));
    assertThat(edges("part-of"), equalTo(partOf));
    assertThat(edges("assigned-to"), equalTo(assignedTo));
    for (JsonNode e : graph.get("edges")) {
      if (Set.of("part-of", "assigned-to").contains(e.get("relation").asText())) {
        assertThat(e.get("kind").asText(), equalTo("STRUCTURAL"));
      }
    }
  }

  @Test
  public void everyRecordOfTheDumpIsAccountedFor() throws Exception {
    JsonNode s = run.summary();
    Map<String, Long> byModel = new TreeMap<>();
    dump.forEach(r -> byModel.merge(r.get("model").asText(), 1L, Long::sum));
    long mapped = byModel.get("dcim.device") + byModel.get("dcim.interface")
        + byModel.get("ipam.ipaddress");
    JsonNode source = s.get("sources").get("inventory.netbox-device+netbox-interface"
        + "+netbox-ipaddress:" + Paths.get(System.getProperty("weft.testdata", "../testdata"))
        .resolve("inventory").resolve("netbox-dump.json"));
    assertThat(s.toString(), source.get("read").asLong(), equalTo((long) dump.size()));
    assertThat(source.get("normalized").asLong(), equalTo(mapped));
    assertThat(source.get("filtered").asLong(), equalTo(dump.size() - mapped));
    assertThat(source.get("deadLettered").asLong(), equalTo(0L));
    assertThat(s.get("conserved").asBoolean(), equalTo(true));
    // Equal pks of different models are different records, never duplicates.
    assertThat(s.get("duplicates").asLong(), equalTo(0L));
    assertThat(run.stdout, org.hamcrest.Matchers.containsString(
        "filtered " + (dump.size() - mapped)));
  }

  @Test
  public void aRelationToATypeThePolicyDoesNotNameStopsTheRunAtStart() throws Exception {
    String inventory = Paths.get(System.getProperty("weft.testdata", "../testdata"))
        .resolve("inventory").toString();
    // The built-in policy has no netbox.device type: the part-of edges would end nowhere.
    WeftRun bare = WeftRun.of(TMP.newFolder("no-policy").toPath(),
        "--sources=inventory.netbox-interface:" + inventory + "/netbox-dump.json",
        "--inventoryMapping=" + inventory + "/netbox-interface.yaml");
    assertThat(bare.toString(), bare.exitCode, equalTo(1));
    assertThat(bare.stderr, org.hamcrest.Matchers.containsString("netbox-interface: relations/0"
        + " ('part-of' to 'netbox.device'): the identity policy has no type with prefix"));
  }

  @Test
  public void theSpanCarryingTheBareAddressMeetsTheIpOfTheDump() throws Exception {
    Map<String, String> ipOf = new TreeMap<>();
    for (JsonNode b : run.lines("bindings-")) {
      if (b.get("entityType").asText().equals("ip")) {
        ipOf.put(b.get("eventId").asText(), b.get("entityId").asText());
      }
    }
    String fromDump = ipOf.get("inventory:netbox-ipaddress:ipam.ipaddress:12");
    assertThat(ipOf.toString(), fromDump, equalTo("ip:10.0.1.11"));
    List<String> fromSpans = ipOf.entrySet().stream()
        .filter(e -> e.getKey().startsWith("span:")).map(Map.Entry::getValue).toList();
    assertThat(ipOf.toString(), fromSpans, equalTo(List.of("ip:10.0.1.11")));
    // One node for both: the inventory record and the span.
    long nodes = 0;
    for (JsonNode n : graph.get("nodes")) {
      nodes += n.get("id").asText().equals("ip:10.0.1.11") ? 1 : 0;
    }
    assertThat(nodes, equalTo(1L));
    assertThat(nodeIds("ip"), not(hasItem("ip:10.0.1.11/24")));
  }
}
