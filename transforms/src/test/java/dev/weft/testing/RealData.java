package dev.weft.testing;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the third-party samples in {@code ../shared/realdata} (system property {@code
 * weft.realdata}, set by surefire) and the project's own {@code testdata/}. Tests that need the
 * real samples are skipped, not failed, where the folder is absent.
 */
public final class RealData {
  private RealData() {}

  /** A file or folder under realdata; skips the calling test when it is absent. */
  public static Path path(String relative) {
    String root = System.getProperty("weft.realdata", "../../shared/realdata");
    Path p = Paths.get(root).resolve(relative).normalize();
    assumeTrue("real sample " + p + " is absent; skipping", Files.exists(p));
    return p;
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file or folder under the project's own testdata/. */
  public static Path testdata(String relative) {
    String root = System.getProperty("weft.testdata", "../testdata");
    return Paths.get(root).resolve(relative).normalize();
  }
}
