package dev.weft.adapters;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import dev.weft.model.RawRecord;
import dev.weft.model.Reference;
import dev.weft.testing.RealData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Record filters ({@code where}), id scopes and relations of inventory mappings, on the NetBox
 * dumpdata sample (one JSON array of many models). Expected counts come from reading the dump with
 * Jackson here, not from the adapter.
 */
public class InventoryDumpMappingsTest {
  private static final Instant OBSERVED = Instant.parse("2024-06-01T00:00:00Z");
  private static final List<String> MAPPED = List.of("dcim.device", "dcim.interface",
      "ipam.ipaddress");

  private static byte[] dump;
  private static JsonNode records;
  private static List<InventoryMapping> netbox;

  @BeforeClass
  public static void load() throws IOException {
    dump = Files.readAllBytes(RealData.testdata("inventory/netbox-dump.json"));
    records = new ObjectMapper().readTree(dump);
    netbox = new ArrayList<>();
    for (String m : List.of("netbox-device", "netbox-interface", "netbox-ipaddress")) {
      netbox.add(InventoryMapping.load(RealData.testdata("inventory/" + m + ".yaml")));
    }
  }

  private static AdapterResult parse(List<InventoryMapping> mappings, byte[] bytes) {
    return new InventoryAdapter(mappings).parse(
        new RawRecord(bytes, Origin.file("inventory", "netbox-dump.json"), OBSERVED));
  }

  private static InventoryMapping mappingOf(String yaml) throws IOException {
    return InventoryMapping.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  private static long count(String model) {
    long n = 0;
    for (JsonNode r : records) {
      n += r.get("model").asText().equals(model) ? 1 : 0;
    }
    return n;
  }

  private static Map<String, Long> eventsByType(AdapterResult r) {
    Map<String, Long> out = new TreeMap<>();
    for (Event e : r.events()) {
      out.merge(e.attributes().get(InventoryMapping.ENTITY_TYPE_ATTRIBUTE), 1L, Long::sum);
    }
    return out;
  }

  @Test
  public void eachModelGoesToItsMappingAndTheOthersAreCountedAsFiltered() {
    AdapterResult r = parse(netbox, dump);
    assertThat(r.failures(), is(empty()));
    assertThat(eventsByType(r), equalTo(Map.of("netbox.device", count("dcim.device"),
        "netbox.interface", count("dcim.interface"), "ip", count("ipam.ipaddress"))));
    long others = records.size() - MAPPED.stream().mapToLong(InventoryDumpMappingsTest::count)
        .sum();
    assertThat(others, equalTo(9L));
    assertThat((long) r.filtered().size(), equalTo(others));
    assertThat(r.records(), equalTo(records.size()));
    // Each filtered record says which value no mapping took.
    assertThat(r.filtered().get(0), containsString("{model=tenancy.tenant}"));
    assertThat(r.filtered().get(0), containsString("/0"));
  }

  @Test
  public void aMappingWithoutWhereTakesEveryRecordAndFirstMatchWins() throws IOException {
    InventoryMapping rest = mappingOf("name: rest\nentityType: thing\ninput: json\n");
    AdapterResult r = parse(List.of(netbox.get(0), rest), dump);
    assertThat(r.filtered(), is(empty()));
    assertThat(eventsByType(r), equalTo(Map.of("netbox.device", count("dcim.device"),
        "thing", (long) records.size() - count("dcim.device"))));
  }

  @Test
  public void aListInWhereMatchesTheArrayOfTheRecord() throws IOException {
    InventoryMapping onInterfaces = mappingOf("name: on-interfaces\nentityType: ip\ninput: json\n"
        + "where: {model: ipam.ipaddress, fields.assigned_object_type: [dcim, interface]}\n");
    long expected = 0;
    for (JsonNode rec : records) {
      JsonNode t = rec.get("fields").get("assigned_object_type");
      expected += t != null && t.isArray() && t.toString().equals("[\"dcim\",\"interface\"]")
          ? 1 : 0;
    }
    assertThat(expected, equalTo(4L));
    assertThat((long) parse(List.of(onInterfaces), dump).events().size(), equalTo(expected));
  }

  @Test
  public void idScopeKeepsEqualPrimaryKeysOfTwoModelsApart() throws IOException {
    String all = "name: all\nentityType: thing\ninput: json\nid: pk\n";
    Set<String> pks = new HashSet<>();
    Set<String> modelAndPk = new HashSet<>();
    for (JsonNode rec : records) {
      pks.add(rec.get("pk").asText());
      modelAndPk.add(rec.get("model").asText() + "/" + rec.get("pk").asText());
    }
    assertThat("the sample repeats pks across models", pks.size(), lessThan(records.size()));
    assertThat(modelAndPk.size(), equalTo(records.size()));

    AdapterResult unscoped = parse(List.of(mappingOf(all)), dump);
    assertThat(distinctIds(unscoped), equalTo(pks.size()));
    AdapterResult scoped = parse(List.of(mappingOf(all + "idScope: [model]\n")), dump);
    assertThat(distinctIds(scoped), equalTo(records.size()));
    assertThat(scoped.events().get(0).eventId(), equalTo("inventory:all:tenancy.tenant:1"));
  }

  @Test
  public void aRecordWithoutItsIdScopeValueIsDeadLettered() throws IOException {
    InventoryMapping m = mappingOf("name: s\nentityType: thing\ninput: json\nid: pk\n"
        + "idScope: [model]\n");
    AdapterResult r = parse(List.of(m), "[{\"pk\": 3, \"fields\": {}}]"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(r.events(), is(empty()));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.MISSING_FIELD));
    assertThat(r.failures().get(0).reason(), containsString("id scope field 'model'"));
  }

  @Test
  public void theNetboxEventIdsAreScopedByModel() {
    Set<String> ids = new HashSet<>();
    for (Event e : parse(netbox, dump).events()) {
      ids.add(e.eventId());
    }
    assertThat(ids.size(), equalTo(14));
    assertThat(ids.contains("inventory:netbox-device:dcim.device:12"), is(true));
    assertThat(ids.contains("inventory:netbox-interface:dcim.interface:12"), is(true));
    assertThat(ids.contains("inventory:netbox-ipaddress:ipam.ipaddress:12"), is(true));
  }

  @Test
  public void relationsBecomeReferencesOfTheRecord() {
    Map<String, List<Reference>> byId = new TreeMap<>();
    for (Event e : parse(netbox, dump).events()) {
      // The config part only carries the references: the record stays an inventory record.
      assertThat(e.kind(), is(dev.weft.model.EventKind.INVENTORY));
      byId.put(e.eventId(), e.config().map(c -> {
        assertThat(c.operation(), is(ConfigOperation.SNAPSHOT));
        return c.references();
      }).orElse(List.of()));
    }
    // Read from the dump: interface 40 has "device": 12; IP 7 has assigned_object_id 40 on a
    // ["dcim", "interface"]; IP 9 is on a vminterface and IP 11 on nothing; devices state none.
    assertThat(byId.get("inventory:netbox-interface:dcim.interface:40"), contains(
        new Reference("part-of", "netbox.device", "12", java.util.Optional.empty(),
            java.util.Optional.empty())));
    assertThat(byId.get("inventory:netbox-ipaddress:ipam.ipaddress:7"), contains(
        new Reference("assigned-to", "netbox.interface", "40", java.util.Optional.empty(),
            java.util.Optional.empty())));
    assertThat(byId.get("inventory:netbox-ipaddress:ipam.ipaddress:9"), is(empty()));
    assertThat(byId.get("inventory:netbox-ipaddress:ipam.ipaddress:11"), is(empty()));
    assertThat(byId.get("inventory:netbox-device:dcim.device:12"), is(empty()));
    long interfaceEdges = byId.entrySet().stream()
        .filter(e -> e.getKey().contains("dcim.interface")).mapToLong(e -> e.getValue().size())
        .sum();
    assertThat(interfaceEdges, equalTo(count("dcim.interface")));
  }

  @Test
  public void recordsWithRelationsSurviveTheCoderAndTheEventJsonReplay() throws Exception {
    for (Event e : parse(netbox, dump).events()) {
      assertThat(org.apache.beam.sdk.util.CoderUtils.clone(dev.weft.model.EventCoder.of(), e),
          equalTo(e));
      assertThat(dev.weft.io.EventJson.fromJson(dev.weft.io.EventJson.toJson(e)), equalTo(e));
    }
  }

  @Test
  public void mappingsWithoutRelationsOrWhereGiveTheSameEventsAsBefore() throws IOException {
    // The existing CMDB samples: no config part, ids without a scope.
    InventoryMapping hosts = InventoryMapping.load(
        RealData.testdata("inventory/cmdb-hosts.yaml"));
    AdapterResult r = new InventoryAdapter(hosts).parse(new RawRecord(
        Files.readAllBytes(RealData.testdata("inventory/cmdb-hosts.csv")),
        Origin.file("inventory", "cmdb-hosts.csv"), OBSERVED));
    assertThat(r.filtered(), is(empty()));
    List<Boolean> configs = r.events().stream().map(e -> e.config().isPresent()).toList();
    assertThat(configs, everyItem(is(false)));
    assertThat(r.events().get(0).eventId(), equalTo("inventory:cmdb-hosts:A-1001"));
  }

  @Test
  public void mappingsThatReadAFileDifferentlyCannotShareOneReading() throws IOException {
    InventoryMapping csv = mappingOf("name: c\nentityType: thing\ninput: csv\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new InventoryAdapter(List.of(netbox.get(0), csv)));
    assertThat(e.getMessage(), containsString("read an input differently"));
  }

  @Test
  public void badWhereAndRelationsAreRefusedWithTheirPlace() {
    String base = "name: m\nentityType: thing\nid: pk\n";
    assertThat(problem(base + "where: {}\n"), containsString("/where"));
    assertThat(problem(base + "where: {model: {a: b}}\n"), containsString("/where/model"));
    assertThat(problem(base + "relations: [{field: f, to: device}]\n"),
        containsString("/relations/0/edge"));
    assertThat(problem(base + "relations: [{field: f, to: device, edge: Part_Of}]\n"),
        containsString("not an edge name"));
    assertThat(problem(base + "relations: [{field: f, to: 'device:1', edge: part-of}]\n"),
        containsString("not an entity type"));
    assertThat(problem(base + "relations: [{field: f, to: d, edge: e, wher: {a: b}}]\n"),
        containsString("/relations/0/wher"));
    assertThat(problem("name: m\nentityType: thing\nidScope: [model]\n"),
        containsString("name one with 'id'"));
  }

  private static String problem(String yaml) {
    return assertThrows(InventoryMappingException.class, () -> mappingOf(yaml)).getMessage();
  }

  private static int distinctIds(AdapterResult r) {
    Set<String> ids = new HashSet<>();
    r.events().forEach(e -> ids.add(e.eventId()));
    return ids.size();
  }
}
