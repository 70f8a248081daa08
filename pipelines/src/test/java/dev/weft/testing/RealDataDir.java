package dev.weft.testing;

import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The real samples folder for end-to-end tests; skips the test class when it is absent. */
public final class RealDataDir {
  private RealDataDir() {}

  public static Path root() {
    Path p = Paths.get(System.getProperty("weft.realdata", "../../shared/realdata"))
        .toAbsolutePath().normalize();
    assumeTrue("real samples " + p + " are absent; skipping", Files.isDirectory(p));
    return p;
  }
}
