package dev.weft.pipelines;

import com.sun.net.httpserver.HttpServer;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.PolicyException;
import java.awt.Desktop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code weft view --output=DIR [--open] [--serve=PORT] [--policy=FILE]}: writes {@code
 * DIR/graph.html}, one self-contained page (no server, no network) that draws the run's graph with
 * Cytoscape.js and answers "why" per entity and edge (see {@link GraphViewModel}). {@code --open}
 * opens it in the desktop's browser; {@code --serve=PORT} serves it on 127.0.0.1 until stopped.
 *
 * <p>Exit codes: 0 written; 1 bad arguments, or no graph.json in DIR.
 */
public final class ViewCommand {
  private ViewCommand() {}

  static final String DEFAULT_OUTPUT = "weft-out";
  static final String PAGE = "graph.html";

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String dir = DEFAULT_OUTPUT;
    String policyFile = null;
    boolean open = false;
    int port = -1;
    for (String a : args) {
      if (a.equals("view")) {
        continue;
      } else if (a.startsWith("--output=")) {
        dir = a.substring("--output=".length());
      } else if (a.startsWith("--policy=")) {
        policyFile = a.substring("--policy=".length());
      } else if (a.equals("--open")) {
        open = true;
      } else if (a.startsWith("--serve=")) {
        try {
          port = Integer.parseInt(a.substring("--serve=".length()));
        } catch (NumberFormatException e) {
          port = -2;
        }
        if (port < 0 || port > 65535) {
          err.println("view: --serve=PORT takes a port number 0..65535, not '"
              + a.substring("--serve=".length()) + "'");
          return 1;
        }
      } else {
        err.println("view: unknown argument '" + a + "'");
        err.println("usage: java -jar weft.jar view [--output=DIR] [--open] [--serve=PORT] "
            + "[--policy=FILE]   (DIR defaults to " + DEFAULT_OUTPUT + ")");
        return 1;
      }
    }
    Path page;
    try {
      IdentityPolicy policy = policyFile == null ? IdentityPolicy.defaultPolicy()
          : IdentityPolicy.fromFile(Paths.get(policyFile));
      page = writeWith(Paths.get(dir), policy);
    } catch (InvalidConfiguration e) {
      err.println("view: " + e.getMessage());
      return 1;
    } catch (PolicyException e) {
      err.println("view: --policy: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("view: cannot read " + dir + ": " + e.getMessage());
      return 1;
    }
    out.println("view: wrote " + page.toAbsolutePath().normalize()
        + " (self-contained; open it in any browser)");
    if (open) {
      openInBrowser(page, out);
    }
    if (port >= 0) {
      return serve(page, port, out, err);
    }
    return 0;
  }

  /** Writes DIR/graph.html with the built-in identity policy; returns its path. */
  static Path write(Path dir) throws IOException {
    return writeWith(dir, IdentityPolicy.defaultPolicy());
  }

  static Path writeWith(Path dir, IdentityPolicy policy) throws IOException {
    String html = ViewPage.render(GraphViewModel.read(dir, policy));
    Path page = dir.resolve(PAGE);
    Files.writeString(page, html, StandardCharsets.UTF_8);
    return page;
  }

  private static void openInBrowser(Path page, PrintStream out) {
    try {
      if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        Desktop.getDesktop().browse(page.toAbsolutePath().toUri());
        return;
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Fall through to the hint below.
    }
    out.println("view: no desktop browser to open here; open " + page.toAbsolutePath().toUri());
  }

  /** Serves the page on the loopback interface only, until the process is stopped. */
  private static int serve(Path page, int port, PrintStream out, PrintStream err) {
    try {
      HttpServer server = startServer(page, port);
      out.println("view: serving on http://127.0.0.1:" + server.getAddress().getPort()
          + "/ (Ctrl-C to stop)");
      // The command's caller exits the JVM on return; serving lasts until the user stops it.
      new java.util.concurrent.CountDownLatch(1).await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (IOException e) {
      err.println("view: cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
      return 1;
    }
  }

  /** An HTTP server on 127.0.0.1:port (0: any free port) answering every path with the page. */
  static HttpServer startServer(Path page, int port) throws IOException {
    byte[] body = Files.readAllBytes(page);
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(body);
      }
    });
    server.start();
    return server;
  }
}
