package dev.weft.pipelines;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * External programs some tests use (Graphviz, Chromium): found on the PATH, or installed with
 * apt-get when the tests run as root (as CI does), so a fresh machine runs them instead of
 * skipping. Where neither works the caller skips with a message.
 */
final class Tools {
  private Tools() {}

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code program} is there, after installing {@code packages} if need be. */
  static synchronized boolean ensureInstalled(String program, String... packages) {
    if (onPath(program)) {
      return true;
    }
    if (!"root".equals(System.getProperty("user.name")) || !onPath("apt-get")) {
      return false;
    }
    String[] install = new String[4 + packages.length];
    install[0] = "apt-get";
    install[1] = "install";
    install[2] = "-y";
    install[3] = "-q";
    System.arraycopy(packages, 0, install, 4, packages.length);
    run(new String[] {"apt-get", "update", "-q"}, 300);
    run(install, 600);
    return onPath(program);
  }

  private static void run(String[] command, long seconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (java.io.IOException e) {
      // Reported by the caller as "not installed".
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
