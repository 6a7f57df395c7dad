package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.bench.InjectionDetectionBenchmark.Run;
import dev.spillway.bench.InjectionDetectionBenchmark.SetScores;
import dev.spillway.bench.InjectionDetectionBenchmark.Timing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Writes an {@link InjectionDetectionBenchmark.Run} as {@code guard-injection.md} and {@code .json}. */
final class InjectionDetectionReport {
  static final String NAME = "guard-injection";

  private InjectionDetectionReport() {}

  static Path write(Run run) {
    return ReportEnvironment.write(run.settings().outDir(), NAME, () -> markdown(run), () -> json(run));
  }

  /** The default threshold and what it gives on held-out data, in a few lines. */
  static String summary(Run run) {
    double t = run.defaultThreshold();
    StringBuilder s = new StringBuilder();
    boolean met = run.qualifies(t) && run.detection(t) >= InjectionDetectionBenchmark.TARGET_DETECTION;
    s.append(f("Default threshold %.2f: %s of the held-out injections flagged (selecting sets pooled; target ≥ %.0f %%)"
            + " with ≤ %.0f %% of every selecting ordinary set flagged: %s.", t, pct(run.detection(t)),
        InjectionDetectionBenchmark.TARGET_DETECTION * 100, InjectionDetectionBenchmark.MAX_FALSE_POSITIVES * 100,
        met ? "target met" : "target NOT met"));
    s.append(f("\nHow the default was set: on the development halves, the lowest threshold of the sweep with ≤ %.0f %% of"
        + " every selecting ordinary set flagged is %s.", InjectionDetectionBenchmark.MAX_FALSE_POSITIVES * 100,
        Double.isNaN(run.devChosen()) ? "none" : f("%.2f", run.devChosen())));
    s.append(Double.isNaN(run.chosen())
        ? "\nOn held-out prompts, no threshold of the sweep keeps every selecting ordinary set within the bound."
        : f("\nFor reference only (choosing on held-out data would void it): on held-out prompts the lowest such"
            + " threshold is %.2f (%s of held-out injections).", run.chosen(), pct(run.detection(run.chosen()))));
    for (SetScores set : run.sets()) {
      s.append(f("\n- %s (%s, %s, %d held out): %s flagged%s.", set.set().name(),
          set.set().injection() ? "injections" : "ordinary", set.set().selects() ? "selects" : "reported only",
          set.scores().length, pct(set.rate(t)), set.set().injection() ? "" : " (false positives)"));
    }
    for (Timing tm : run.timings()) {
      s.append(f("\n- inspect, %s (%d tokens): p50 %.1f µs, p99 %.1f µs (wall), %.1f µs CPU (mean), %.0f bytes"
          + " allocated per inspection.", tm.kind(), tm.meanTokens(), tm.p50Micros(), tm.p99Micros(), tm.cpuMicrosMean(),
          tm.bytesPerInspection()));
    }
    return s.toString();
  }

  static String pct(double rate) {
    return Double.isNaN(rate) ? "n/a" : f("%.1f %%", rate * 100);
  }

  static String markdown(Run run) {
    StringBuilder md = new StringBuilder("# Prompt-injection detection\n\n");
    md.append(ReportEnvironment.header("InjectionDetectionBenchmark", "bench/run-guard-injection",
        "One thread: `PromptInjectionDetector` with its default settings, in process.", run.startedAt(),
        run.loadAtStart(), run.loadAtEnd()));
    md.append("## Result\n\n").append(summary(run)).append("\n\n");
    if (!run.settings().note().isEmpty()) {
      md.append("## Choice of sets\n\n").append(run.settings().note()).append("\n\n");
    }
    md.append("Only held-out prompts are counted. A set split in `halves` was divided by a stable hash of each prompt"
        + " (FNV-1a of its UTF-8 bytes, remainder below 5 of 10: development); the rules and weights were set by hand"
        + " while reading the development half, and the held-out half was not read. A set marked `test` was not read"
        + " at all while tuning. Detection: flagged injections among held-out injections. False positives: flagged"
        + " prompts among held-out ordinary prompts.\n\n");
    md.append("## Data\n\n| set | label | split | role | prompts | duplicates dropped | development | held out |"
        + " licence | source |\n|---|---|---|---|---:|---:|---:|---:|---|---|\n");
    for (SetScores s : run.sets()) {
      LabelledPrompts p = s.set();
      md.append(f("| %s | %s | %s | %s | %d | %d | %d | %d | %s | %s |\n", p.name(),
          p.injection() ? "injection" : "ordinary", p.split(), p.selects() ? "selects" : "reported", p.total(),
          p.duplicates(), p.development().size(), p.heldOut().size(), p.license(),
          p.source().isEmpty() ? "—" : p.source()));
    }
    md.append("\n## Sweep (held-out prompts)\n\n| threshold | detection, selecting sets pooled |");
    for (SetScores s : run.sets()) {
      md.append(' ').append(s.set().name()).append(s.set().injection() ? " (detection)" : " (false positives)")
          .append(" |");
    }
    md.append("\n|---:|---:|").append("---:|".repeat(run.sets().size())).append('\n');
    for (double t : run.settings().thresholds()) {
      md.append(f("| %.2f%s | %s |", t, mark(run, t), pct(run.detection(t))));
      for (SetScores s : run.sets()) {
        md.append(' ').append(pct(s.rate(t))).append(" |");
      }
      md.append('\n');
    }
    md.append("\n◀ the default threshold; ◆ the lowest of the sweep within the false-positive bound on held-out"
        + " prompts (for reference).\n");
    md.append("\n## Rules matched (held-out prompts)\n\nHow many held-out prompts of each set a rule matched, whatever"
        + " the score; a rule adds its weight once per prompt.\n\n| rule |");
    for (SetScores s : run.sets()) {
      md.append(' ').append(s.set().name()).append(" |");
    }
    md.append("\n|---|").append("---:|".repeat(run.sets().size())).append('\n');
    SetScores first = run.sets().get(0);
    for (int r = 0; r < first.ruleIds().size(); r++) {
      md.append("| `").append(first.ruleIds().get(r)).append("` |");
      for (SetScores s : run.sets()) {
        md.append(' ').append(s.ruleCounts()[r]).append(" |");
      }
      md.append('\n');
    }
    md.append("\n## Cost\n\nOne inspection (`inspect`, default settings) of texts of at least 2,000 o200k tokens made"
        + " of held-out ordinary prompts, one thread, after 20,000 warm-up inspections; time by `System.nanoTime`"
        + " around each call (wall time: it includes any time the thread waited for a core), CPU time and allocation"
        + " by the thread's counters over all timed calls.\n\n"
        + "| texts | tokens (mean) | characters (mean) | inspections | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |"
        + " CPU µs (mean) | bytes per inspection |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Timing tm : run.timings()) {
      md.append(f("| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f |\n", tm.kind(),
          tm.meanTokens(), tm.meanChars(), tm.inspections(), tm.p50Micros(), tm.p90Micros(), tm.p99Micros(),
          tm.p999Micros(), tm.maxMicros(), tm.cpuMicrosMean(), tm.bytesPerInspection()));
    }
    md.append("\nThe sets are read from the files given on the command line and are not part of this repository.\n");
    return md.toString();
  }

  private static String mark(Run run, double t) {
    String m = Math.abs(t - run.defaultThreshold()) < 1e-9 ? " ◀" : "";
    return Math.abs(t - run.chosen()) < 1e-9 ? m + " ◆" : m;
  }

  static JsonObject json(Run run) {
    JsonArray sets = new JsonArray();
    for (SetScores s : run.sets()) {
      LabelledPrompts p = s.set();
      JsonArray sweep = new JsonArray();
      for (double t : run.settings().thresholds()) {
        sweep.add(new JsonObject().put("threshold", t).put("flagged", s.flagged(t)));
      }
      JsonObject rules = new JsonObject();
      for (int r = 0; r < s.ruleIds().size(); r++) {
        rules.put(s.ruleIds().get(r), s.ruleCounts()[r]);
      }
      sets.add(new JsonObject().put("name", p.name()).put("label", p.injection() ? "injection" : "ordinary")
          .put("split", p.split()).put("selects", p.selects()).put("license", p.license()).put("source", p.source())
          .put("prompts", p.total()).put("duplicates", p.duplicates()).put("development", p.development().size())
          .put("heldOut", p.heldOut().size()).put("flaggedAtDefault", s.flagged(run.defaultThreshold()))
          .put("sweep", sweep).put("rulesMatched", rules));
    }
    JsonArray timings = new JsonArray();
    for (Timing tm : run.timings()) {
      timings.add(new JsonObject().put("texts", tm.kind()).put("meanTokens", tm.meanTokens())
          .put("meanChars", tm.meanChars()).put("inspections", tm.inspections()).put("p50Micros", tm.p50Micros())
          .put("p90Micros", tm.p90Micros()).put("p99Micros", tm.p99Micros()).put("p999Micros", tm.p999Micros())
          .put("maxMicros", tm.maxMicros()).put("cpuMicrosMean", tm.cpuMicrosMean())
          .put("bytesPerInspection", tm.bytesPerInspection()));
    }
    double t = run.defaultThreshold();
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAtStart(), run.loadAtEnd()))
        .put("defaultThreshold", t)
        .put("detectionAtDefault", run.detection(t))
        .put("withinFalsePositiveBoundAtDefault", run.qualifies(t))
        .put("targetDetection", InjectionDetectionBenchmark.TARGET_DETECTION)
        .put("maxFalsePositiveRate", InjectionDetectionBenchmark.MAX_FALSE_POSITIVES)
        .put("developmentChosenThreshold", Double.isNaN(run.devChosen()) ? null : run.devChosen())
        .put("heldOutChosenThreshold", Double.isNaN(run.chosen()) ? null : run.chosen())
        .put("sets", sets)
        .put("timing", timings);
  }
}
