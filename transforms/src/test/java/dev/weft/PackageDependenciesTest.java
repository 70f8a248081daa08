package dev.weft;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The layering DESIGN.md states, read from the sources: the canonical model depends on no other
 * Weft package, and the transports ({@code io}) hand raw records to the adapters without knowing
 * them (a raw record, its coder and its framing live in {@code model}); and the core composite
 * ({@code core}) sits on top of the packages it composes, none of which imports it.
 */
public class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "weft");
  private static final Pattern WEFT_IMPORT =
      Pattern.compile("^import (?:static )?dev\\.weft\\.(\\w+)\\.", Pattern.MULTILINE);

  /** Files under {@code dev/weft/PACKAGE} that import from any of {@code forbidden}. */
  private static List<String> importsFrom(String pkg, List<String> forbidden) throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = WEFT_IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (forbidden.contains(m.group(1))) {
            offenders.add(MAIN.relativize(f) + " imports dev.weft." + m.group(1));
          }
        }
      }
    }
    return offenders;
  }

  @Test
  public void theModelDependsOnNoOtherWeftPackage() throws IOException {
    List<String> others = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(n -> !n.equals("model")).forEach(others::add);
    }
    assertThat(importsFrom("model", others), empty());
  }

  @Test
  public void noLibraryPackageDependsOnTheCoreComposite() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      for (String pkg : dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(n -> !n.equals("core")).toList()) {
        offenders.addAll(importsFrom(pkg, List.of("core")));
      }
    }
    assertThat(offenders, empty());
  }

  @Test
  public void transportsDoNotKnowTheAdapters() throws IOException {
    assertThat(importsFrom("io", List.of("adapters", "identity", "graph")), empty());
  }
}
