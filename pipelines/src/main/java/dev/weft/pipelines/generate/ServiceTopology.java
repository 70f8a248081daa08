package dev.weft.pipelines.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who calls whom: instrumented services in three tiers (gateways, aggregators, domain services),
 * each service of tiers 0–1 calling 2–4 services of deeper tiers, every deeper service called by
 * somebody; plus uninstrumented databases and message brokers, which appear only as a client's
 * {@code remoteEndpoint} (Zipkin) or peer attributes (OTLP). Derived from the seed alone.
 */
final class ServiceTopology {
  private static final String[] NAMES = {
    "web-gateway", "mobile-gateway", "partner-api",
    "frontend", "checkout", "search", "account", "catalog", "recommendation",
    "cart", "order", "payment", "inventory", "pricing", "shipping", "user", "auth", "review",
    "notification", "promotion", "tax", "ledger", "fraud-score", "media", "loyalty", "returns",
    "warehouse", "invoice", "coupon", "session"};

  /** Uninstrumented remotes a client names: databases and caches. */
  static final String[] DATABASES = {"postgres", "mysql", "redis", "memcached", "elasticsearch",
      "cassandra"};
  /** Database systems in OTel's {@code db.system} vocabulary, index-aligned with DATABASES. */
  static final String[] DB_SYSTEMS = {"postgresql", "mysql", "redis", "memcached",
      "elasticsearch", "cassandra"};
  /** Message brokers a producer or consumer names. */
  static final String[] BROKERS = {"kafka", "rabbitmq"};

  final String[] services;
  final int[] tier;
  final int[][] callees;
  final int gateways;

  ServiceTopology(int count, long seed) {
    SplittableRandom topo = new SplittableRandom(seed ^ 0x5EED_70B0L);
    services = new String[count];
    tier = new int[count];
    gateways = Math.max(1, count / 10);
    int aggregators = Math.max(1, count / 4);
    for (int i = 0; i < count; i++) {
      services[i] = i < NAMES.length ? NAMES[i] : NAMES[i % NAMES.length] + "-" + (i / NAMES.length);
      tier[i] = i < gateways ? 0 : i < gateways + aggregators ? 1 : 2;
    }
    List<List<Integer>> out = new ArrayList<>();
    boolean[] called = new boolean[count];
    for (int s = 0; s < count; s++) {
      List<Integer> cs = new ArrayList<>();
      if (tier[s] < 2) {
        int k = 2 + topo.nextInt(3);
        for (int guard = 0; cs.size() < k && guard < 1000; guard++) {
          int c = deeper(s, topo);
          if (!cs.contains(c)) {
            cs.add(c);
            called[c] = true;
          }
        }
      }
      out.add(cs);
    }
    for (int c = gateways; c < count; c++) {
      if (!called[c]) {
        int caller;
        do {
          caller = topo.nextInt(count);
        } while (tier[caller] >= tier[c]);
        out.get(caller).add(c);
      }
    }
    callees = new int[count][];
    for (int s = 0; s < count; s++) {
      callees[s] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** A service of a deeper tier than {@code s}: mostly the next tier, sometimes two deeper. */
  private int deeper(int s, SplittableRandom topo) {
    int from = tier[s] == 0 && topo.nextDouble() < 0.75 ? 1 : 2;
    int lo = -1;
    int hi = -1;
    for (int i = 0; i < services.length; i++) {
      if (tier[i] == from) {
        lo = lo < 0 ? i : lo;
        hi = i;
      }
    }
    return lo + topo.nextInt(hi - lo + 1);
  }

  /** A service of the same tier as {@code s} other than itself, or {@code s} when it is alone. */
  int sibling(int s, SplittableRandom rnd) {
    for (int guard = 0; guard < 100; guard++) {
      int c = rnd.nextInt(services.length);
      if (c != s && tier[c] == tier[s]) {
        return c;
      }
    }
    return s;
  }

  /** A service deeper than {@code s}, for shapes that need a callee beyond the fixed topology. */
  int anyDeeper(int s, SplittableRandom rnd) {
    for (int guard = 0; guard < 100; guard++) {
      int c = rnd.nextInt(services.length);
      if (tier[c] > tier[s]) {
        return c;
      }
    }
    return services.length - 1;
  }
}
