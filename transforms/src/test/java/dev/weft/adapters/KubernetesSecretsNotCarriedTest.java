package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.not;

import dev.weft.io.EventJson;
import dev.weft.model.Event;
import dev.weft.model.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Collectors;
import org.junit.Test;

/**
 * Kubernetes Secret data and Pod environment values never reach a canonical event, whatever the
 * privacy policy: the adapter does not carry them (the objects themselves still become events).
 */
public class KubernetesSecretsNotCarriedTest {
  private static final String DATA_SECRET = "s3cr3t-from-data";
  private static final String STRING_SECRET = "s3cr3t-from-stringData";
  private static final String ENV_SECRET = "s3cr3t-from-env";

  private static final String OBJECTS = "apiVersion: v1\nkind: List\nitems:\n"
      + "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: db-credentials\n"
      + "    namespace: shop\n    uid: 5e0c0000-0000-4000-8000-000000000001\n"
      + "    resourceVersion: \"7\"\n    creationTimestamp: \"2024-05-01T10:00:00Z\"\n"
      + "  type: Opaque\n  data:\n    password: "
      + Base64.getEncoder().encodeToString(DATA_SECRET.getBytes(StandardCharsets.UTF_8)) + "\n"
      + "  stringData:\n    token: " + STRING_SECRET + "\n"
      + "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: checkout-1\n    namespace: shop\n"
      + "    uid: 5e0c0000-0000-4000-8000-000000000002\n    resourceVersion: \"8\"\n"
      + "    creationTimestamp: \"2024-05-01T10:00:00Z\"\n"
      + "  spec:\n    containers:\n    - name: app\n      image: shop/checkout:1.0\n"
      + "      env:\n      - name: DB_PASSWORD\n        value: " + ENV_SECRET + "\n"
      + "      - name: DB_USER\n        valueFrom:\n          secretKeyRef:\n"
      + "            name: db-credentials\n            key: user\n"
      + "      envFrom:\n      - secretRef:\n          name: db-credentials\n";

  @Test
  public void secretDataAndEnvValuesAreNotInAnyEvent() {
    AdapterResult r = new KubernetesAdapter().parse(new RawRecord(
        OBJECTS.getBytes(StandardCharsets.UTF_8), Origin.file("k8s", "objects.yaml"),
        Instant.parse("2025-01-01T00:00:00Z")));
    assertThat(r.failures().toString(), r.failures().size(), equalTo(0));
    assertThat(r.events().size(), equalTo(2));
    String all = r.events().stream().map(EventJson::toJson).collect(Collectors.joining("\n"));
    assertThat(all, not(containsString(DATA_SECRET)));
    assertThat(all, not(containsString(
        Base64.getEncoder().encodeToString(DATA_SECRET.getBytes(StandardCharsets.UTF_8)))));
    assertThat(all, not(containsString(STRING_SECRET)));
    assertThat(all, not(containsString(ENV_SECRET)));
    // The objects themselves are there: the search looked at real events.
    Event pod = r.events().stream().filter(e -> e.config().get().objectKind().equals("Pod"))
        .findFirst().orElseThrow();
    assertThat(pod.attributes(), hasEntry("k8s.container.app.image", "shop/checkout:1.0"));
    assertThat(all, containsString("db-credentials"));
  }
}
