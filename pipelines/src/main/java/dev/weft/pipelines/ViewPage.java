package dev.weft.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * The graph page as one self-contained HTML file: the template ({@code weft/view/graph.html}),
 * Cytoscape.js and its fcose layout inlined from their WebJars, and the run's data embedded as
 * JSON. It needs no server and no network.
 */
final class ViewPage {
  private ViewPage() {}

  static final String TEMPLATE = "weft/view/graph.html";
  static final String LIBRARIES_SLOT = "/*@WEFT_LIBRARIES@*/";
  static final String DATA_SLOT = "@WEFT_DATA@";

  /** WebJar artifact and the file in it, in load order (each library needs the one before). */
  private static final List<String[]> LIBRARIES = List.of(
      new String[] {"layout-base", "layout-base.js"},
      new String[] {"cose-base", "cose-base.js"},
      new String[] {"cytoscape", "dist/cytoscape.min.js"},
      new String[] {"cytoscape-fcose", "cytoscape-fcose.js"});

  static String render(ObjectNode model) {
    String template = resource(TEMPLATE);
    StringBuilder libs = new StringBuilder();
    ObjectNode versions = model.putObject("libraries");
    for (String[] lib : LIBRARIES) {
      String version = webJarVersion(lib[0]);
      versions.put(lib[0], version);
      libs.append("/* ").append(lib[0]).append(' ').append(version).append(" (MIT) */\n")
          .append(scriptSafe(resource("META-INF/resources/webjars/" + lib[0] + "/" + version + "/"
              + lib[1])))
          .append('\n');
    }
    String data;
    try {
      data = new ObjectMapper().writeValueAsString(model);
    } catch (IOException e) {
      throw new UncheckedIOException("a JSON tree always serializes", e);
    }
    return template.replace(LIBRARIES_SLOT, libs).replace(DATA_SLOT, scriptSafe(data));
  }

  /** Inside a script element, "</" would end it early; "<\/" means the same in JS and JSON. */
  static String scriptSafe(String text) {
    return text.replace("</", "<\\/");
  }

  /** The version of a WebJar on the class path, from the Maven metadata it ships. */
  static String webJarVersion(String artifact) {
    Properties p = new Properties();
    String path = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = ViewPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the WebJar " + artifact + " is not on the class path ("
            + path + ")");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
    return p.getProperty("version");
  }

  private static String resource(String path) {
    try (InputStream in = ViewPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }
}
