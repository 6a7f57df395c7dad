package dev.spillway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (Debian's; closed loop, so it measures a participant's peak) with a Lua script
 * that POSTs the benchmark's body, and reads its summary. The run is wrapped in {@code bash -c
 * '...; times'} so wrk's own CPU seconds are known too.
 */
final class WrkRunner {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s");

  private final int threads;
  private final int connections;
  private final Optional<String> cpus;
  private final Path workDir;

  WrkRunner(int threads, int connections, Optional<String> cpus, Path workDir) {
    this.threads = threads;
    this.connections = connections;
    this.cpus = cpus;
    this.workDir = workDir;
  }

  static boolean available() {
    return ChildProcess.onPath("wrk");
  }

  PeakResult run(LoadTarget target, String body, Duration duration) {
    try {
      Path script = workDir.resolve("wrk-" + target.name() + ".lua");
      Files.createDirectories(workDir);
      Files.writeString(script, lua(target.headers(), body));
      String wrk =
          (cpus.map(c -> "taskset -c " + c + " ").orElse(""))
              + "wrk --latency -t" + threads + " -c" + connections + " -d" + Math.max(1, duration.toSeconds()) + "s"
              + " -s " + script + " " + target.url();
      Process p = new ProcessBuilder("bash", "-c", wrk + "; times").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("wrk failed:\n" + out);
      }
      return parse(out, duration.toSeconds());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static PeakResult parse(String out, double seconds) {
    Matcher rps = RPS.matcher(out);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk output:\n" + out);
    }
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher sock = SOCKET_ERRORS.matcher(out);
    if (sock.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(sock.group(g));
      }
    }
    // `times` prints the shell's own user/sys line, then its children's (wrk's) line.
    List<Double> cpu = new ArrayList<>();
    Matcher t = TIMES.matcher(out);
    while (t.find()) {
      cpu.add(Long.parseLong(t.group(1)) * 60 + Double.parseDouble(t.group(2)) + Long.parseLong(t.group(3)) * 60
          + Double.parseDouble(t.group(4)));
    }
    return new PeakResult(
        "wrk", Double.parseDouble(rps.group(1)), errors, percentile(out, "50%"), percentile(out, "99%"), seconds,
        cpu.isEmpty() ? -1 : cpu.get(cpu.size() - 1));
  }

  private static double percentile(String out, String label) {
    Matcher m = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(out);
    if (!m.find()) {
      return -1;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  private static String lua(Map<String, String> headers, String body) {
    StringBuilder s = new StringBuilder("wrk.method = \"POST\"\n");
    s.append("wrk.body = \"").append(luaEscape(body)).append("\"\n");
    s.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    headers.forEach((k, v) -> s.append("wrk.headers[\"").append(luaEscape(k)).append("\"] = \"").append(luaEscape(v)).append("\"\n"));
    return s.toString();
  }

  private static String luaEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
