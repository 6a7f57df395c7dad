package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.bench.CompareBuilds.Comparison;
import dev.spillway.bench.CompareBuilds.Jar;
import dev.spillway.bench.CompareBuilds.Round;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Renders a {@link Comparison} as {@code NAME.md} and {@code NAME.json}: the verdict (median after ÷ median before
 * against the threshold), every round in the order it ran, the two jars and the machine. Pure apart from {@link
 * #write}.
 */
final class CompareReport {
  /** A load generator busier than this (cores) may have been the limit rather than the gateway. */
  static final double LOAD_GENERATOR_BUSY = 0.9;

  private CompareReport() {}

  static Path write(Comparison c, Path dir, String name) {
    return ReportEnvironment.write(dir, name, () -> markdown(c, dir), () -> json(c));
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> v = values.stream().sorted().toList();
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  static List<Double> spillway(Comparison c, String side) {
    return c.side(side).stream().map(Round::spillway).toList();
  }

  /** Each side's direct peaks, empty when a round of that side did not measure direct. */
  static List<Double> direct(Comparison c, String side) {
    List<Round> rs = c.side(side);
    if (rs.stream().anyMatch(r -> r.direct().isEmpty())) {
      return List.of();
    }
    return rs.stream().map(r -> r.direct().getAsDouble()).toList();
  }

  /** Median after ÷ median before: the figure the threshold applies to. */
  static double ratio(Comparison c) {
    return median(spillway(c, "after")) / median(spillway(c, "before"));
  }

  /** Round i after ÷ round i before, for every round. */
  static List<Double> roundRatios(Comparison c) {
    List<Round> before = c.side("before");
    List<Round> after = c.side("after");
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
      out.add(after.get(i).spillway() / before.get(i).spillway());
    }
    return out;
  }

  static boolean met(Comparison c) {
    return ratio(c) >= c.threshold();
  }

  /** One line: met or missed, with the numbers. */
  static String verdict(Comparison c) {
    List<Double> rr = roundRatios(c);
    int n = c.side("before").size();
    return f("%s — after ÷ before = %.3f %s %.2f: median Spillway peak %,.0f req/s after vs %,.0f before (%d round%s"
            + " each)%s.",
        met(c) ? "**met**" : "**missed**", ratio(c), met(c) ? "≥" : "<", c.threshold(), median(spillway(c, "after")),
        median(spillway(c, "before")), n, n == 1 ? "" : "s",
        rr.size() < 2 ? "" : f("; per-round ratios %.3f to %.3f", min(rr), max(rr)));
  }

  static String markdown(Comparison c, Path reportDir) {
    List<Round> rounds = c.rounds();
    Round first = rounds.get(0);
    Round last = rounds.get(rounds.size() - 1);
    int n = c.side("before").size();
    StringBuilder md =
        new StringBuilder("# Before vs after: Spillway's peak req/s in the edge benchmark's overhead scenario\n\n");
    if (!c.label().isBlank()) {
      md.append("**").append(c.label().strip()).append("**\n\n");
    }
    md.append(f("Generated %s by `CompareBuilds` (`bench/run-compare`). **Both builds were measured alternately, in one"
            + " run on one machine:** before, after, before, after, … — %d round%s each, from %s to %s. Every round is a"
            + " fresh `EdgeBenchmark --scenarios overhead` process that starts its own simulator and gateway, warms the"
            + " gateway up and measures its closed-loop peak, so a drift in the machine's speed hits both builds"
            + " alike.\n\n",
        c.finishedAt(), n, n == 1 ? "" : "s", first.startedAt().truncatedTo(ChronoUnit.SECONDS), c.finishedAt()));

    md.append("## Verdict\n\n");
    md.append(f("Target: the edge benchmark's peak req/s after the change is at least %.2f × before, measured in the"
        + " same run on the same machine.\n\n", c.threshold()));
    md.append("- ").append(verdict(c)).append('\n');
    List<Double> rr = roundRatios(c);
    if (met(c) && min(rr) < c.threshold()) {
      md.append(f("- Not every round agrees: in %d of %d rounds after ÷ before was below %.2f; the verdict uses the"
          + " medians.\n", rr.stream().filter(r -> r < c.threshold()).count(), rr.size(), c.threshold()));
    }
    md.append('\n');
    md.append("| | before | after | after ÷ before |\n|---|---:|---:|---:|\n");
    md.append(f("| Spillway peak req/s, median | %,.0f | %,.0f | **%.3f** |\n", median(spillway(c, "before")),
        median(spillway(c, "after")), ratio(c)));
    md.append(f("| Spillway peak req/s, each round | %s | %s | %s (round by round) |\n", list(spillway(c, "before")),
        list(spillway(c, "after")), rr.stream().map(r -> f("%.3f", r)).collect(Collectors.joining(" · "))));
    List<Double> db = direct(c, "before");
    List<Double> da = direct(c, "after");
    if (!db.isEmpty() && !da.isEmpty()) {
      md.append(f("| direct (simulator alone) req/s, median | %,.0f | %,.0f | %.3f |\n", median(db), median(da),
          median(da) / median(db)));
    }
    md.append('\n');

    md.append("## Rounds, in the order they ran\n\n");
    md.append("| round | build | Spillway peak req/s | peak errors | direct req/s | gateway cores | simulator cores |"
        + " load generator cores | load average start → end | started |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (Round r : rounds) {
      md.append(f("| %d | %s | %,.0f | %d | %s | %s | %s | %s | %s → %s | %s |\n", r.round(), r.side(), r.spillway(),
          r.spillwayErrors(), r.direct().isPresent() ? f("%,.0f", r.direct().getAsDouble()) : "—",
          cores(r.spillwayCores()), cores(r.upstreamCores()), cores(r.loadGeneratorCores()),
          ReportEnvironment.load(r.loadAverageAtStart()), ReportEnvironment.load(r.loadAverageAtEnd()),
          r.startedAt().truncatedTo(ChronoUnit.SECONDS)));
    }
    md.append('\n');
    md.append("Cores are CPU seconds ÷ wall seconds during the peak run (gateway and simulator share the participants'"
        + " CPU, so together they show how busy it was). Each round's own report: ");
    md.append(rounds.stream().map(r -> "`" + relative(reportDir, r.report().resolve("edge.md")) + "`")
        .collect(Collectors.joining(", ")));
    md.append(".\n\n");

    md.append("## Builds\n\n");
    md.append("| build | jar | bytes | modified | SHA-256 (first 16) |\n|---|---|---:|---|---|\n");
    for (Jar j : List.of(c.before(), c.after())) {
      md.append(f("| %s | `%s` | %,d | %s | `%s` |\n", j == c.before() ? "before" : "after", j.path(), j.bytes(),
          j.modified(), j.sha256().substring(0, 16)));
    }
    md.append('\n');
    if (!c.before().ran().equals(c.before().path()) || !c.after().ran().equals(c.after().path())) {
      md.append("The rounds ran copies of these jars taken at the start of the run (`cp -p`), so a rebuild during the"
          + " run could not change what was measured; size, time and hash are the copies'.\n\n");
    }

    md.append("## Machine and method\n\n");
    md.append(f("- Machine: %d CPUs, %s; Java %s (%s), the JVM that ran the benchmark and every participant.\n",
        c.machineCpus(), first.os(), first.javaVersion(), first.javaVm()));
    md.append(f("- System load average (1 min): %s at the start of the first round, %s at the end of the last (each"
            + " round's is in the table). A busy machine slows both builds; alternating keeps the comparison fair, not"
            + " the absolute figures.\n",
        ReportEnvironment.load(first.loadAverageAtStart()), ReportEnvironment.load(last.loadAverageAtEnd())));
    if (first.serverCpus() == null && first.loadCpus() == null) {
      md.append("- Nothing was pinned: load generator, gateway and simulator shared all cores.\n");
    } else {
      md.append(f("- Pinned with taskset: gateway and simulator on CPU %s, the load generator on CPU %s.\n",
          Objects.requireNonNullElse(first.serverCpus(), "any"), Objects.requireNonNullElse(first.loadCpus(), "any")));
    }
    md.append(f("- Load: closed loop from %s (the load tool) on %d connections, %s measured per round after the"
            + " gateway's warm-up (the overhead scenario's rule: rounds until two agree within 5 %%; the curves are"
            + " below).\n",
        tools(rounds), first.connections(), seconds(rounds)));
    md.append("- Upstream: ").append(upstream(c)).append('\n');
    if (!c.command().isBlank()) {
      md.append("- Command: `").append(c.command().strip()).append("`\n");
    }
    md.append('\n');

    List<String> notes = notes(c);
    if (!notes.isEmpty()) {
      md.append("## Notes\n\n");
      notes.forEach(x -> md.append("- ").append(x).append('\n'));
      md.append('\n');
    }
    md.append("## Warm-up curves (Spillway)\n\n");
    for (Round r : rounds) {
      r.notes().stream().filter(x -> x.startsWith("spillway warm-up: "))
          .forEach(x -> md.append(f("- round %d %s: %s\n", r.round(), r.side(),
              x.substring("spillway warm-up: ".length()))));
    }
    md.append('\n');
    return md.toString();
  }

  /** Caveats a reader must see next to the verdict. */
  static List<String> notes(Comparison c) {
    List<String> out = new ArrayList<>(c.readNotes());
    for (Jar j : List.of(c.before(), c.after())) {
      if (j.changedSince()) {
        out.add(f("The %s jar `%s` changed during the run (rebuilt or removed): the figures are of the copy taken at"
            + " the start, SHA-256 %s.", j == c.before() ? "before" : "after", j.path(), j.sha256().substring(0, 16)));
      }
    }
    if (c.before().sha256().equals(c.after().sha256())) {
      out.add("Both sides are the same build (identical SHA-256): the ratio shows this machine's round-to-round noise,"
          + " not a change.");
    }
    for (Round r : c.rounds()) {
      if (r.spillwayErrors() > 0) {
        out.add(f("Round %d (%s): %,d errors during the peak; the req/s counts every answer, so that round is not"
            + " clean.", r.round(), r.side(), r.spillwayErrors()));
      }
      List<Double> curve = warmupCurve(r);
      if (!steady(curve)) {
        out.add(f("Round %d (%s): the gateway's warm-up stopped at its cap before two rounds agreed within %.0f %%%s,"
                + " so that peak may be of a gateway not yet at full speed (a longer --warmup gives it more time).",
            r.round(), r.side(), OverheadScenario.STEADY_WITHIN * 100, curve.size() < 2 ? ""
                : f(" (its last two: %,.0f → %,.0f req/s)", curve.get(curve.size() - 2), curve.get(curve.size() - 1))));
      }
      if (r.loadGeneratorCores() >= LOAD_GENERATOR_BUSY) {
        out.add(f("Round %d (%s): the load generator used %.2f cores during the peak, so the peak may be its limit"
            + " rather than the gateway's.", r.round(), r.side(), r.loadGeneratorCores()));
      }
    }
    if (c.rounds().stream().map(Round::loadTool).distinct().count() > 1) {
      out.add("The load tool was not the same in every round (" + tools(c.rounds())
          + "): the rounds are not comparable.");
    }
    return out;
  }

  /**
   * The gateway's warm-up req/s, round by round, from the overhead scenario's note ({@code spillway warm-up: 8 rounds
   * of 5s, req/s 925 → 2716 → ...}); empty when the round has no such note.
   */
  static List<Double> warmupCurve(Round r) {
    for (String note : r.notes()) {
      int at = note.indexOf("req/s");
      if (note.startsWith("spillway warm-up") && at >= 0) {
        try {
          return Arrays.stream(note.substring(at + "req/s".length()).split("→"))
              .map(String::strip)
              .filter(x -> !x.isEmpty())
              .map(Double::parseDouble)
              .toList();
        } catch (NumberFormatException e) {
          return List.of();
        }
      }
    }
    return List.of();
  }

  /** The overhead scenario's rule: the last two warm-up rounds within {@link OverheadScenario#STEADY_WITHIN}. */
  static boolean steady(List<Double> curve) {
    int n = curve.size();
    if (n < 2) {
      return false;
    }
    double a = curve.get(n - 2);
    double b = curve.get(n - 1);
    return Math.abs(a - b) <= OverheadScenario.STEADY_WITHIN * Math.max(a, b);
  }

  private static String upstream(Comparison c) {
    List<String> jars = c.rounds().stream().map(Round::simulatorJar).distinct().toList();
    if (jars.size() == 1 && jars.get(0) != null) {
      Path jar = Path.of(jars.get(0)).toAbsolutePath().normalize();
      String which = jar.equals(c.before().ran()) ? f("the before jar (`%s`)", c.before().path())
          : jar.equals(c.after().ran()) ? f("the after jar (`%s`)", c.after().path()) : f("`%s`", jar);
      return f("the zero-latency simulator from %s in every round, the same for both builds, so only the gateway"
          + " differs.", which);
    }
    return "the zero-latency simulator from each build's own jar: a change in the simulator shows in the Spillway"
        + " figures too (the two share the participants' CPU).";
  }

  private static String tools(List<Round> rounds) {
    return rounds.stream().map(Round::loadTool).distinct().collect(Collectors.joining(", "));
  }

  private static String seconds(List<Round> rounds) {
    return rounds.stream().map(r -> f("%.0f s", r.peakSeconds())).distinct().collect(Collectors.joining(" / "));
  }

  private static String cores(double v) {
    return v < 0 ? "?" : f("%.2f", v);
  }

  private static String list(List<Double> v) {
    return v.stream().map(x -> f("%,.0f", x)).collect(Collectors.joining(" · "));
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static String relative(Path base, Path p) {
    Path a = base.toAbsolutePath().normalize();
    Path b = p.toAbsolutePath().normalize();
    return b.startsWith(a) ? a.relativize(b).toString() : b.toString();
  }

  static JsonObject json(Comparison c) {
    List<Double> rr = roundRatios(c);
    JsonArray rounds = new JsonArray();
    for (Round r : c.rounds()) {
      rounds.add(new JsonObject()
          .put("round", r.round())
          .put("build", r.side())
          .put("spillwayPeakRequestsPerSecond", r.spillway())
          .put("spillwayPeakErrors", r.spillwayErrors())
          .put("directPeakRequestsPerSecond", r.direct().isPresent() ? r.direct().getAsDouble() : null)
          .put("gatewayCores", r.spillwayCores())
          .put("simulatorCores", r.upstreamCores())
          .put("loadGeneratorCores", r.loadGeneratorCores())
          .put("peakSeconds", r.peakSeconds())
          .put("loadTool", r.loadTool())
          .put("startedAt", r.startedAt().toString())
          .put("loadAverageAtStart", r.loadAverageAtStart())
          .put("loadAverageAtEnd", r.loadAverageAtEnd())
          .put("gatewayJar", r.gatewayJar())
          .put("simulatorJar", r.simulatorJar())
          .put("report", r.report().toString()));
    }
    Round first = c.rounds().get(0);
    Round last = c.rounds().get(c.rounds().size() - 1);
    return new JsonObject()
        .put("method", "Both builds measured alternately (before, after, before, after, ...) in one run on one machine;"
            + " each round a fresh EdgeBenchmark --scenarios overhead process.")
        .put("label", c.label().isBlank() ? null : c.label())
        .put("startedAt", first.startedAt().toString())
        .put("finishedAt", c.finishedAt().toString())
        .put("roundsPerBuild", c.side("before").size())
        .put("threshold", c.threshold())
        .put("ratio", ratio(c))
        .put("ratioMin", min(rr))
        .put("ratioMax", max(rr))
        .put("roundRatios", new JsonArray(new ArrayList<>(rr)))
        .put("met", met(c))
        .put("verdict", verdict(c).replace("**", ""))
        .put("before", side(c, "before", c.before()))
        .put("after", side(c, "after", c.after()))
        .put("rounds", rounds)
        .put("machine", new JsonObject()
            .put("cpus", c.machineCpus())
            .put("os", first.os())
            .put("javaVersion", first.javaVersion())
            .put("javaVm", first.javaVm())
            .put("loadAverageAtStart", first.loadAverageAtStart())
            .put("loadAverageAtEnd", last.loadAverageAtEnd())
            .put("loadCpus", first.loadCpus())
            .put("serverCpus", first.serverCpus()))
        .put("loadTool", tools(c.rounds()))
        .put("connections", first.connections())
        .put("command", c.command().isBlank() ? null : c.command())
        .put("notes", new JsonArray(notes(c)));
  }

  private static JsonObject side(Comparison c, String side, Jar jar) {
    List<Double> d = direct(c, side);
    OptionalDouble directMedian = d.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(median(d));
    return new JsonObject()
        .put("jar", new JsonObject()
            .put("path", jar.path().toString())
            .put("ran", jar.ran().toString())
            .put("changedDuringRun", jar.changedSince())
            .put("bytes", jar.bytes())
            .put("modified", jar.modified().toString())
            .put("sha256", jar.sha256()))
        .put("spillwayPeakMedian", median(spillway(c, side)))
        .put("spillwayPeaks", new JsonArray(new ArrayList<>(spillway(c, side))))
        .put("directPeakMedian", directMedian.isPresent() ? directMedian.getAsDouble() : null)
        .put("directPeaks", d.isEmpty() ? null : new JsonArray(new ArrayList<>(d)));
  }
}
