package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;

/**
 * The graph page of the demo run in a real browser (headless Chromium through Selenium): it loads
 * offline with no console error, draws graph.json's nodes and edges, a real mouse click on the
 * checkout pod shows its pod-ip alias and pod-uid claim, the time control shows an earlier window, and a screenshot
 * is kept at {@code target/view-screenshot.png} for review.
 */
public class ViewPageBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POD = "k8s.pod:shop/checkout-5f7b8c-abcde";

  private static HeadlessChromium browser;
  private static WebDriver driver;
  private static JsonNode graph;

  @BeforeClass
  public static void openDemoPage() throws Exception {
    HeadlessChromium.assumeInstalled();
    Path out = DemoOutput.get();
    graph = JSON.readTree(out.resolve("graph.json").toFile());
    browser = HeadlessChromium.open(ViewCommand.write(out), Duration.ofSeconds(30));
    driver = browser.driver;
  }

  @AfterClass
  public static void close() {
    if (browser != null) {
      browser.close();
    }
  }

  private static Object js(String script, Object... args) {
    return browser.js(script, args);
  }

  @Test
  public void pageLoadsWithoutConsoleErrorsAndShowsEveryNodeAndEdgeOfGraphJson() throws Exception {
    List<LogEntry> problems = browser.problems();
    assertThat(problems.toString(), problems, is(empty()));

    // Drawn elements, counted in Cytoscape's own model, against graph.json.
    assertThat(((Number) js("return weftView.cy.nodes('.entity').length;")).intValue(),
        is(graph.path("nodes").size()));
    assertThat(((Number) js("return weftView.cy.edges('.graph-edge').length;")).intValue(),
        is(graph.path("edges").size()));
    assertThat(((Number) js("return weftView.cy.edges('.call').length;")).intValue(),
        is(graph.path("totals").path("callEdges").asInt()));
    // And what the header tells a person.
    WebElement counts = driver.findElement(By.id("counts"));
    assertThat(counts.getText(), containsString(graph.path("nodes").size() + " nodes · "
        + graph.path("edges").size() + " edges shown"));
    // Every node is drawn inside the canvas, not stacked at the origin.
    Number width = (Number) js("var bb = weftView.cy.nodes('.entity').boundingBox(); return bb.w;");
    assertThat(width.doubleValue(), greaterThan(200.0));
  }

  @Test
  public void clickOnTheCheckoutPodShowsItsPodIpAliasAndBindings() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> at = (Map<String, Object>) js(
        "var n = weftView.cy.getElementById(arguments[0]);"
            + "var p = n.renderedPosition(), r = document.getElementById('cy').getBoundingClientRect();"
            + "return {x: p.x, y: p.y, w: r.width, h: r.height};", POD);
    WebElement canvas = driver.findElement(By.id("cy"));
    // Selenium offsets are from the element's centre.
    int dx = (int) Math.round(((Number) at.get("x")).doubleValue()
        - ((Number) at.get("w")).doubleValue() / 2);
    int dy = (int) Math.round(((Number) at.get("y")).doubleValue()
        - ((Number) at.get("h")).doubleValue() / 2);
    new Actions(driver).moveToElement(canvas, dx, dy).click().perform();

    String details = driver.findElement(By.id("details")).getText();
    assertThat(details, containsString(POD));
    // The alias the pod taught: its IP from its own Kubernetes object, valid until deletion.
    String podIp = podIpOf(POD);
    assertThat(details, containsString("k8s.pod.ip = " + podIp));
    assertThat(details, containsString("pod-ip (weight 0.9)"));
    assertThat(details, containsString("BOUND by pod-namespace-name"));
    assertThat(details, containsString("(deleted)"));
    // The claim its uid makes for the fallback rule pod-uid, for the whole run until deletion.
    assertThat(details, containsString("k8s.pod.uid = 6f1c0d0e-0000-4000-8000-000000000201"));
    assertThat(details, containsString("pod-uid (fallback)"));
    assertThat(details, containsString("claimed for the whole run, until the deletion at"));

    browser.screenshot("view-screenshot.png");
  }

  @Test
  public void timeControlShowsTheGraphAsOfTheFirstCallWindowAndWhatItChanged() {
    // The first window with calls: some edges exist by then, others (a later pod's) not yet.
    String firstCall = null;
    for (JsonNode e : graph.path("edges")) {
      if (e.path("kind").asText().equals("CALL")) {
        String s = e.path("windows").get(0).path("windowStart").asText();
        firstCall = firstCall == null || s.compareTo(firstCall) < 0 ? s : firstCall;
      }
    }
    int index = ((Number) js("return weftView.data.windows.findIndex("
        + "function (w) { return w.start === arguments[0]; });".replace("arguments[0]",
            "'" + firstCall + "'"))).intValue();
    assertThat(index, greaterThan(-1));
    String end = (String) js("return weftView.data.windows[" + index + "].end;");
    long expected = 0;
    for (JsonNode e : graph.path("edges")) {
      boolean shown = e.path("kind").asText().equals("CALL")
          ? e.path("windows").get(0).path("windowStart").asText().compareTo(firstCall) <= 0
          // A structural edge exists from its first statement (validFrom) on.
          : e.path("validFrom").asText().compareTo(end) < 0;
      expected += shown ? 1 : 0;
    }
    assertThat("the demo has edges before and after that window", expected > 0
        && expected < graph.path("edges").size(), is(true));
    js("weftView.showWindow(" + index + ");");
    try {
      long shown = ((Number) js("return weftView.cy.edges('.graph-edge')"
          + ".not('.out-of-time').length;")).longValue();
      assertThat(shown, equalTo(expected));
      assertThat(driver.findElement(By.id("window-label")).getText(),
          containsString("as of window " + (index + 1) + "/"));
      // The window where calls begin: the call edges are new in it.
      assertThat(driver.findElement(By.id("changes")).getText(), containsString("calls"));
    } finally {
      js("weftView.showWindow(weftView.data.windows.length);");
    }
    assertThat(((Number) js("return weftView.cy.edges('.graph-edge').not('.out-of-time')"
        + ".length;")).intValue(), is(graph.path("edges").size()));
    assertThat(driver.findElement(By.id("window-label")).getText(),
        not(containsString("as of window")));
  }

  /** The pod's IP as its Kubernetes object says, read from graph.json's attributes. */
  private static String podIpOf(String pod) {
    for (JsonNode n : graph.path("nodes")) {
      if (n.path("id").asText().equals(pod)) {
        return n.path("attributes").path("k8s.pod.ip").asText();
      }
    }
    throw new AssertionError(pod + " is not in graph.json");
  }
}
