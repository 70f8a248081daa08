package dev.weft.pipelines;

import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.InventoryAdapter;
import dev.weft.adapters.InventoryMapping;
import dev.weft.model.RawRecord;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.LinkageEvaluation;
import dev.weft.identity.PolicyException;
import dev.weft.model.Event;
import dev.weft.model.Origin;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code weft evaluate-identity}: runs the identity mechanism on person-record benchmarks through
 * the inventory adapter and a policy file, and prints precision, recall and F1 of the pairs of
 * records Weft merged, against the answer key.
 *
 * <ul>
 *   <li>No {@code --input}: the shipped benchmark suite (Febrl 1, 2, 3, 4a-4b cross-file links,
 *       Splink demo) from {@code --realdata=DIR} (default {@code ../shared/realdata}) with the
 *       shipped mappings and policies from {@code --testdata=DIR} (default {@code testdata}).
 *   <li>Custom: {@code --input=CSV} (repeat for a linkage across files, which then counts only
 *       cross-file pairs) {@code --mapping=YAML --policy=YAML --answer=COLUMN
 *       [--answerPattern=REGEX]} (group 1 of the pattern is the true cluster).
 * </ul>
 *
 * <p>The answer-key column must be mapped as an attribute, never as a signal: the policy cannot
 * see it. Records are resolved in file order, so results are deterministic.
 */
public final class IdentityEvaluationCommand {
  private static final Instant OBSERVED = Instant.parse("2024-01-01T00:00:00Z");

  private IdentityEvaluationCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  public static int run(String[] args, PrintStream out) {
    String realdata = "../shared/realdata";
    String testdata = "testdata";
    List<String> inputs = new ArrayList<>();
    String mapping = null;
    String policy = null;
    String answer = null;
    String pattern = null;
    for (String a : args) {
      if (a.equals("evaluate-identity")) {
        continue;
      }
      int eq = a.indexOf('=');
      String key = eq > 0 ? a.substring(0, eq) : a;
      String value = eq > 0 ? a.substring(eq + 1) : "";
      switch (key) {
        case "--realdata" -> realdata = value;
        case "--testdata" -> testdata = value;
        case "--input" -> inputs.add(value);
        case "--mapping" -> mapping = value;
        case "--policy" -> policy = value;
        case "--answer" -> answer = value;
        case "--answerPattern" -> pattern = value;
        default -> {
          out.println("evaluate-identity: unknown argument '" + a + "'");
          return usage(out);
        }
      }
    }
    try {
      List<LinkageEvaluation.Scores> all = new ArrayList<>();
      if (inputs.isEmpty()) {
        Path r = Paths.get(realdata, "identity");
        Path t = Paths.get(testdata);
        String febrlAnswer = "rec-(\\d+)-";
        for (String set : List.of("dataset1", "dataset2", "dataset3")) {
          all.add(evaluate(List.of(r.resolve(set + ".csv")), t.resolve("inventory/febrl.yaml"),
              t.resolve("policies/febrl.yaml"), "rec_id", febrlAnswer, "febrl-" + set));
        }
        all.add(evaluate(List.of(r.resolve("dataset4a.csv"), r.resolve("dataset4b.csv")),
            t.resolve("inventory/febrl.yaml"), t.resolve("policies/febrl.yaml"), "rec_id",
            febrlAnswer, "febrl-dataset4a-4b"));
        all.add(evaluate(List.of(r.resolve("fake_1000_from_splink_demos.csv")),
            t.resolve("inventory/splink.yaml"), t.resolve("policies/splink.yaml"), "cluster",
            null, "splink-demo"));
      } else {
        if (mapping == null || policy == null || answer == null) {
          return usage(out);
        }
        List<Path> files = inputs.stream().map(Paths::get).toList();
        all.add(evaluate(files, Paths.get(mapping), Paths.get(policy), answer, pattern,
            files.get(0).getFileName().toString()));
      }
      all.forEach(out::println);
      for (LinkageEvaluation.Scores s : all) {
        if (s.truePairs() == 0) {
          // Scores against an empty answer key mean nothing: recall is undefined, and any
          // precision would be unearned.
          out.println("evaluate-identity: " + s.name() + ": the answer key puts no two records "
              + "together (column or --answerPattern wrong?); refusing to score it");
          return 1;
        }
      }
      return 0;
    } catch (PolicyException e) {
      out.println("evaluate-identity: invalid policy: " + e.getMessage());
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      out.println("evaluate-identity: " + e.getMessage());
      return 1;
    }
  }

  static LinkageEvaluation.Scores evaluate(List<Path> files, Path mappingFile, Path policyFile,
      String answerColumn, String answerPattern, String name) throws IOException {
    IdentityPolicy policy = IdentityPolicy.fromFile(policyFile);
    InventoryMapping base = InventoryMapping.load(mappingFile);
    if (base.signals().containsKey(answerColumn)) {
      throw new IllegalArgumentException("the answer column '" + answerColumn + "' is mapped as "
          + "a signal in " + mappingFile + "; the policy must not see the answer key");
    }
    List<Event> records = new ArrayList<>();
    for (Path f : files) {
      // Each file its own mapping name: ids repeat across Febrl files for different people.
      InventoryMapping m = base.withName(base.name() + "-" + f.getFileName());
      AdapterResult r = new InventoryAdapter(m).parse(new RawRecord(Files.readAllBytes(f),
          Origin.file(InventoryAdapter.FORMAT, f.toString()), OBSERVED));
      if (!r.failures().isEmpty()) {
        throw new IllegalArgumentException(f + ": " + r.failures().size()
            + " record(s) failed to parse, first: " + r.failures().get(0));
      }
      records.addAll(r.events());
    }
    Pattern p = answerPattern == null ? null : Pattern.compile(answerPattern);
    Function<Event, String> answer = e -> {
      String v = e.attributes().get(answerColumn);
      if (v == null) {
        throw new IllegalArgumentException("record " + e.origin().describe()
            + " has no answer-key attribute '" + answerColumn + "'");
      }
      if (p == null) {
        return v;
      }
      Matcher m = p.matcher(v);
      if (!m.find()) {
        throw new IllegalArgumentException("answer '" + v + "' does not match " + answerPattern);
      }
      return m.group(1);
    };
    String type = base.entityType();
    return LinkageEvaluation.evaluate(name, records, policy, type, answer,
        e -> e.origin().resource(), files.size() > 1);
  }

  private static int usage(PrintStream out) {
    out.println("usage: java -jar weft.jar evaluate-identity [--realdata=DIR] [--testdata=DIR]");
    out.println("       java -jar weft.jar evaluate-identity --input=CSV [--input=CSV2] "
        + "--mapping=YAML --policy=YAML --answer=COLUMN [--answerPattern=REGEX]");
    return 1;
  }
}
