package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The Markdown of {@link StartupBenchmark}: start-up per variant, the warm-up curves, the targets. */
final class StartupReport {
  private StartupReport() {}

  record Row(String variant, long readyMillis, double cpuMillisAtReady, long idleRssMib) {}

  static String markdown(Instant startedAt, double loadAtStart, double loadAtEnd, String jvmFlags, long trainingMillis,
      Path cache, List<Row> rows, Map<String, double[]> curves) {
    StringBuilder md = new StringBuilder("# Start-up and warm-up, with and without the start-up cache\n\n");
    md.append(ReportEnvironment.header("StartupBenchmark", "bench/run-startup",
        "Gateway and simulator pinned to the server CPU, wrk to the load CPU (as in the edge benchmark).", startedAt,
        loadAtStart, loadAtEnd));
    md.append(f("The gateway: `java %s -jar"
        + " spillway.jar serve` with key auth, limits, metrics and the SQLite ledger, in front of a zero-latency"
        + " simulator; \"start-up cache\" adds `-XX:AOTCache=` a cache made by the launcher's training run"
        + " (`spillway train-startup`, same jar and flags) at the start of this run: it took %.1f s and wrote %d MiB.\n\n",
        jvmFlags, trainingMillis / 1000.0, cache.toFile().length() / (1 << 20)));

    md.append("## Start-up\n\nSpawn to `/readyz` answering 200; the process's CPU time at that moment; RSS after two"
        + " idle seconds. Variants alternate, start after start.\n\n");
    md.append("| variant | ready ms, median (all) | CPU ms at ready, median | idle RSS MiB, median |\n|---|---:|---:|---:|\n");
    Map<String, List<Row>> byVariant = new java.util.LinkedHashMap<>();
    rows.forEach(r -> byVariant.computeIfAbsent(r.variant(), k -> new java.util.ArrayList<>()).add(r));
    byVariant.forEach((variant, rs) -> md.append(f("| %s | %d (%s) | %.0f | %d |\n", variant,
        (long) median(rs.stream().mapToDouble(Row::readyMillis).toArray()),
        String.join(", ", rs.stream().map(r -> Long.toString(r.readyMillis())).toList()),
        median(rs.stream().mapToDouble(Row::cpuMillisAtReady).toArray()),
        (long) median(rs.stream().mapToDouble(Row::idleRssMib).toArray()))));

    md.append("\n## Warm-up under full load\n\nStarted, then at once 32 connections of wrk in one-second windows."
        + " Peak = the median of the last quarter of the windows; warm-up = the end of the first window at ≥ 90 % of"
        + " it.\n\n| variant | peak req/s | first second at ≥ 90 % of peak | req/s per 5 s (mean of each 5 windows) |\n"
        + "|---|---:|---:|---|\n");
    curves.forEach((variant, w) -> {
      double peak = peak(w);
      md.append(f("| %s | %.0f | %s | %s |\n", variant, peak, warmUpSecond(w, peak).map(s -> s + " s").orElse("not reached"),
          fiveSecondMeans(w)));
    });

    md.append("\n## Targets (issue 19)\n\n");
    byVariant.forEach((variant, rs) -> {
      double ready = median(rs.stream().mapToDouble(Row::readyMillis).toArray());
      double rss = median(rs.stream().mapToDouble(Row::idleRssMib).toArray());
      md.append(f("- %s: ready ≤ 1 s — **%s** (%.0f ms); idle RSS ≤ 150 MiB — **%s** (%.0f MiB)\n", variant,
          ready <= 1000 ? "met" : "missed", ready, rss <= 150 ? "met" : "missed", rss));
    });
    curves.forEach((variant, w) -> {
      var second = warmUpSecond(w, peak(w));
      md.append(f("- %s: 90 %% of peak within 15 s — **%s** (%s)\n", variant,
          second.isPresent() && second.get() <= 15 ? "met" : "missed", second.map(s -> s + " s").orElse("not reached")));
    });
    return md.toString();
  }

  static double peak(double[] windows) {
    return median(Arrays.copyOfRange(windows, windows.length - Math.max(1, windows.length / 4), windows.length));
  }

  static java.util.Optional<Integer> warmUpSecond(double[] windows, double peak) {
    for (int i = 0; i < windows.length; i++) {
      if (windows[i] >= 0.9 * peak) {
        return java.util.Optional.of(i + 1);
      }
    }
    return java.util.Optional.empty();
  }

  private static String fiveSecondMeans(double[] w) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i + 5 <= w.length; i += 5) {
      s.append(s.isEmpty() ? "" : " → ").append(f("%.0f", Arrays.stream(w, i, i + 5).average().orElse(0)));
    }
    return s.toString();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
