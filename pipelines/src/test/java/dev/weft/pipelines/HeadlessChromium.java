package dev.weft.pipelines;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.Assume;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The graph page in a real browser for the browser tests: Debian's headless Chromium and its
 * driver (installed with apt-get when missing and the tests run as root, otherwise the calling
 * test is skipped with a message), a 1600x1000 window, the browser log kept for inspection.
 */
final class HeadlessChromium implements AutoCloseable {
  final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Skips the calling test (JUnit Assume) where Chromium is absent and cannot be installed. */
  static void assumeInstalled() {
    Assume.assumeTrue("Chromium and its driver are not installed and could not be "
            + "(apt-get install -y chromium chromium-driver needs root and the Debian archive)",
        Tools.ensureInstalled("chromedriver", "chromium", "chromium-driver")
            && Tools.onPath("chromium"));
  }

  /**
   * Opens {@code page} from its file and waits (up to {@code layoutTimeout}) until the page says
   * its layout has run ({@code window.weftView.ready}).
   */
  static HeadlessChromium open(Path page, Duration layoutTimeout) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(which("chromium"));
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1600,1000",
        "--user-data-dir=" + Files.createTempDirectory("weft-chromium-"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The Debian driver, not one Selenium Manager would try to download.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(which("chromedriver"))).build();
    HeadlessChromium browser = new HeadlessChromium(new ChromeDriver(service, options));
    try {
      browser.driver.get(page.toUri().toString());
      browser.awaitLayout(layoutTimeout);
    } catch (RuntimeException | Error e) {
      browser.close();
      throw e;
    }
    return browser;
  }

  /** Waits until the page's current layout has stopped. */
  void awaitLayout(Duration timeout) {
    new WebDriverWait(driver, timeout).until(d -> Boolean.TRUE.equals(js(
        "return !!(window.weftView && window.weftView.ready);")));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Browser log entries at WARNING or worse since the last call. */
  List<LogEntry> problems() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
        .collect(Collectors.toList());
  }

  /** Writes what the window shows to {@code target/NAME} for a person to review. */
  Path screenshot(String name) throws Exception {
    Files.createDirectories(Path.of("target"));
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    return Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String which(String program) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new AssertionError(program + " not on PATH");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
