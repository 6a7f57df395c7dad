package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: runs {@code spillway demo} in-process (gateway, simulator and
 * traffic) and {@code src/test/browser/dashboard-check.mjs}, which opens the dashboard in headless
 * Chromium through playwright-core, waits until the requests, tokens, PTU utilization, latency and
 * time-to-first-token charts show non-zero data, checks nothing was loaded from elsewhere and no
 * policy was violated, and takes a screenshot (copied to the build directory).
 *
 * <p>Needs {@code /usr/bin/chromium}, {@code node} and {@code npm ci} done in {@code src/test/browser}
 * ({@code scripts/ensure-browser.sh}, sourced by {@code test.sh}, does both). Without them the test
 * is skipped, except under CI, where it fails. It never touches the network itself.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int DEMO_SECONDS = 30;
  private static final Pattern GATEWAY_URL = Pattern.compile("gateway at (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void chartsShowTheRunningDemosTraffic() throws Exception {
    Path browserDir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/browser").toAbsolutePath();
    Optional<Path> node = onPath("node");
    requireTools(browserDir, node);

    CapturedOut out = new CapturedOut();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int[] demoExit = {-1};
    Thread demo = new Thread(() -> demoExit[0] = SpillwayCli.commandLine()
        .execute("demo", "--duration", DEMO_SECONDS + "s", "--rate", "20", "--port", "0"), "dashboard-browser-demo");
    try {
      demo.start();
      String url = out.awaitMatch(GATEWAY_URL, 30_000) + "/dashboard";
      Path shot = Files.createTempDirectory("spillway-dashboard-shot").resolve("dashboard.png");

      Process check = new ProcessBuilder(node.get().toString(), "dashboard-check.mjs", "--url", url, "--out", shot.toString(),
              "--timeout", Integer.toString(DEMO_SECONDS - 5))
          .directory(browserDir.toFile())
          .redirectErrorStream(true)
          .start();
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      Thread pump = new Thread(() -> {
        try {
          check.getInputStream().transferTo(log);
        } catch (IOException ignored) {
          // the process ended
        }
      });
      pump.start();
      if (!check.waitFor(DEMO_SECONDS + 30, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        fail("dashboard-check.mjs did not finish; its output:\n" + log.toString(StandardCharsets.UTF_8));
      }
      pump.join(5_000);
      String output = log.toString(StandardCharsets.UTF_8);
      assertThat(check.exitValue()).as("dashboard-check.mjs output:%n%s", output).isZero();
      assertThat(output).contains("\"panel-ptu\"").contains("\"panel-ttft\"");
      byte[] png = Files.readAllBytes(shot);
      assertThat(png.length).isGreaterThan(20_000);
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
      Files.copy(shot, buildDirectory().resolve("dashboard-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      demo.join((DEMO_SECONDS + 30) * 1000L);
      System.setOut(original);
    }
    assertThat(demoExit[0]).isZero();
  }

  /** Skips (or fails under CI) when Chromium, node or the npm packages are missing. */
  private static void requireTools(Path browserDir, Optional<Path> node) {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add(CHROMIUM + " (apt-get install chromium)");
    }
    if (node.isEmpty()) {
      missing.add("node on the PATH");
    }
    if (!Files.isDirectory(browserDir.resolve("node_modules/playwright-core"))) {
      missing.add("playwright-core (npm ci in " + browserDir + ")");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "the dashboard browser test needs " + String.join(", ", missing);
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
      fail(message + " although CI is set; test.sh provides them through scripts/ensure-browser.sh");
    }
    Assumptions.abort(message + "; skipped (set CI to make this a failure)");
  }

  private static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The module's build directory: where test-classes is. */
  private static Path buildDirectory() throws Exception {
    return Path.of(DashboardBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
  }

  /** Standard output while the demo runs, kept so the test can read the gateway's URL from its banner. */
  private static final class CapturedOut extends OutputStream {
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      seen.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      seen.write(b, off, len);
    }

    String awaitMatch(Pattern pattern, long timeoutMillis) throws InterruptedException {
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
      while (System.nanoTime() < deadline) {
        String text;
        synchronized (this) {
          text = seen.toString(StandardCharsets.UTF_8);
        }
        Matcher m = pattern.matcher(text);
        if (m.find()) {
          return m.group(1);
        }
        Thread.sleep(50);
      }
      throw new AssertionError("the demo printed no gateway URL within " + timeoutMillis + " ms");
    }
  }
}
