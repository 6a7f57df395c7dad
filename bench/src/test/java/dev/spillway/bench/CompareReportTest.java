package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.bench.CompareBuilds.Comparison;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison from made-up rounds: each round's edge.json is what {@link EdgeReport#json} writes for a made-up
 * overhead result, so the report reads the same fields a real run leaves. Runs nothing.
 */
class CompareReportTest {
  @TempDir Path dir;
  Path rounds;
  Path before;
  Path after;

  @BeforeEach
  void jars() throws Exception {
    rounds = dir.resolve("compare-rounds");
    before = Files.writeString(dir.resolve("before.jar"), "before build");
    after = Files.writeString(dir.resolve("after.jar"), "after build");
  }

  @Test
  void theVerdictIsTheRatioOfTheMediansAndTheRoundsShowInTheOrderTheyRan() throws Exception {
    writeRounds(List.of(10_000.0, 12_000.0, 11_000.0), List.of(10_500.0, 11_800.0, 9_000.0), true);

    Comparison c = read();
    Path md = CompareReport.write(c, dir, "compare");

    assertThat(CompareReport.median(List.of(10_000.0, 12_000.0, 11_000.0))).isEqualTo(11_000);
    assertThat(CompareReport.ratio(c)).isCloseTo(10_500.0 / 11_000.0, within(1e-9));
    assertThat(CompareReport.met(c)).isTrue();
    assertThat(CompareReport.roundRatios(c)).containsExactly(1.05, 11_800.0 / 12_000.0, 9_000.0 / 11_000.0);
    String text = Files.readString(md);
    assertThat(text)
        .contains("**Both builds were measured alternately, in one run on one machine:**")
        .contains("**met** — after ÷ before = 0.955 ≥ 0.95: median Spillway peak 10,500 req/s after vs 11,000 before"
            + " (3 rounds each); per-round ratios 0.818 to 1.050.")
        .contains("Not every round agrees: in 1 of 3 rounds after ÷ before was below 0.95")
        .contains("| Spillway peak req/s, median | 11,000 | 10,500 | **0.955** |")
        .contains("| direct (simulator alone) req/s, median | 40,000 | 40,000 | 1.000 |")
        .contains("| 1 | before | 10,000 | 0 | 40,000 | 0.73 | 0.27 | 0.12 | 1.5 → 1.6 |")
        .contains("| 3 | after | 9,000 | 0 |")
        .contains("`" + before.toAbsolutePath() + "` | 12 |", "`" + after.toAbsolutePath() + "` | 11 |")
        .contains("the zero-latency simulator from the before jar (`" + before + "`) in every round")
        .contains("Pinned with taskset: gateway and simulator on CPU 1, the load generator on CPU 0.")
        .contains("`compare-rounds/round-1-before/edge.md`")
        .contains("- round 2 after: 8 rounds of 5s, req/s 900 → 11564 → 11800")
        .doesNotContain("same build")
        .doesNotContain("## Notes");
    assertThat(text.indexOf("| 1 | before |")).isLessThan(text.indexOf("| 1 | after |"));
    assertThat(text.indexOf("| 1 | after |")).isLessThan(text.indexOf("| 2 | before |"));

    JsonObject json = new JsonObject(Files.readString(dir.resolve("compare.json")));
    assertThat(json.getBoolean("met")).isTrue();
    assertThat(json.getDouble("ratio")).isCloseTo(0.9545, within(1e-4));
    assertThat(json.getDouble("ratioMin")).isCloseTo(0.8182, within(1e-4));
    assertThat(json.getDouble("ratioMax")).isCloseTo(1.05, within(1e-9));
    assertThat(json.getJsonObject("before").getDouble("spillwayPeakMedian")).isEqualTo(11_000);
    assertThat(json.getJsonObject("after").getJsonObject("jar").getLong("bytes")).isEqualTo(11);
    assertThat(json.getJsonObject("machine").getDouble("loadAverageAtStart")).isEqualTo(1.5);
    assertThat(json.getJsonArray("rounds")).hasSize(6);
    assertThat(json.getString("method")).contains("alternately", "one run on one machine");
  }

  @Test
  void aSlowerAfterIsMissedAndAnEvenCountTakesTheMeanOfTheMiddleTwo() throws Exception {
    writeRounds(List.of(10_000.0, 12_000.0), List.of(9_000.0, 10_000.0), false);

    Comparison c = read();

    assertThat(CompareReport.median(List.of(10_000.0, 12_000.0))).isEqualTo(11_000);
    assertThat(CompareReport.met(c)).isFalse();
    String md = CompareReport.markdown(c, dir);
    assertThat(md).contains("**missed** — after ÷ before = 0.864 < 0.95").doesNotContain("direct (simulator alone)");
    assertThat(md).contains("| 1 | before | 10,000 | 0 | — |");
  }

  @Test
  void sameJarOnBothSidesErrorsAndABusyLoadGeneratorAreCalledOut() throws Exception {
    after = before;
    writeRounds(List.of(10_000.0), List.of(10_100.0), false);
    rewrite(rounds.resolve("round-1-after/edge.json"), 10_100, 7, 15.0);
    Path edgeJson = rounds.resolve("round-1-before/edge.json");
    JsonObject j = new JsonObject(Files.readString(edgeJson));
    j.getJsonObject("overhead").put("notes", List.of("spillway warm-up: 12 rounds of 5s, req/s 900 → 5000 → 9000"));
    Files.writeString(edgeJson, j.encodePrettily());

    List<String> notes = CompareReport.notes(read());

    assertThat(notes).anyMatch(n -> n.contains("same build"));
    assertThat(notes).anyMatch(n -> n.startsWith("Round 1 (after): 7 errors during the peak"));
    assertThat(notes).anyMatch(n -> n.startsWith("Round 1 (after): the load generator used 1.00 cores"));
    assertThat(notes).anyMatch(n -> n.startsWith("Round 1 (before): the gateway's warm-up stopped at its cap before"
        + " two rounds agreed within 5 % (its last two: 5,000 → 9,000 req/s)"));
    assertThat(notes).noneMatch(n -> n.startsWith("Round 1 (after): the gateway's warm-up"));
  }

  @Test
  void theRoundsRanCopiesAndARebuildOfAJarDuringTheRunIsCalledOut() throws Exception {
    Path givenBefore = before;
    Path givenAfter = after;
    before = Files.copy(givenBefore, dir.resolve("before-copy.jar"));
    after = Files.copy(givenAfter, dir.resolve("after-copy.jar"));
    writeRounds(List.of(10_000.0), List.of(10_000.0), false);
    Files.writeString(givenAfter, "rebuilt meanwhile");

    Comparison c = CompareBuilds.read(rounds, 1, CompareBuilds.Jar.of(givenBefore, before),
        CompareBuilds.Jar.of(givenAfter, after), 0.95, "", "");

    assertThat(c.before().changedSince()).isFalse();
    assertThat(c.after().changedSince()).isTrue();
    assertThat(c.after().path()).isEqualTo(givenAfter.toAbsolutePath());
    assertThat(c.after().bytes()).isEqualTo(11);
    String md = CompareReport.markdown(c, dir);
    assertThat(md).contains("| after | `" + givenAfter.toAbsolutePath() + "` | 11 |")
        .contains("The rounds ran copies of these jars taken at the start of the run")
        .contains("The after jar `" + givenAfter.toAbsolutePath() + "` changed during the run")
        .contains("the zero-latency simulator from the before jar (`" + givenBefore.toAbsolutePath() + "`)");
  }

  @Test
  void aRoundThatRanAnotherJarOrDidNotFinishIsNamed() throws Exception {
    writeRounds(List.of(10_000.0, 10_000.0), List.of(10_000.0, 10_000.0), false);
    Files.delete(rounds.resolve("round-2-after/edge.json"));
    assertThatThrownBy(this::read)
        .hasMessageContaining("round 2 (after)")
        .hasMessageContaining("did that EdgeBenchmark run finish");

    assertThatThrownBy(() -> CompareBuilds.read(rounds, 1, after, before, 0.95, "", ""))
        .hasMessageContaining("round 1 (before) ran " + before.toAbsolutePath());

    // The copies a run took are gone when its report is made again: said, not an error.
    Path copy = Files.copy(before, dir.resolve("copy.jar"));
    Path given = before;
    before = copy;
    writeRounds(List.of(10_000.0), List.of(10_000.0), false);
    Files.delete(copy);
    assertThat(CompareReport.notes(CompareBuilds.read(rounds, 1, given, after, 0.95, "", "")))
        .anyMatch(n -> n.startsWith("Not checked that the rounds ran the jars above: round 1 (before) ran " + copy));
  }

  @Test
  void flagsNameTheProblem() {
    assertThatThrownBy(() -> CompareBuilds.parse("--rounds", "2")).hasMessageContaining("--before");
    assertThatThrownBy(() -> CompareBuilds.parse("--rounds", "x")).hasMessageContaining("--rounds must be a number");
    assertThatThrownBy(() -> CompareBuilds.parse("--nope", "1")).hasMessageContaining("--nope");
    CompareBuilds.Options o =
        CompareBuilds.parse("--rounds-dir", "r", "--rounds", "3", "--before", "a.jar", "--after", "b.jar", "--out", "o");
    assertThat(o.name()).isEqualTo("compare");
    assertThat(o.threshold()).isEqualTo(0.95);
    assertThat(o.out()).isEqualTo(Path.of("o"));
  }

  private Comparison read() {
    return CompareBuilds.read(rounds, count(), before, after, 0.95, "", "");
  }

  private int count() {
    try (var s = Files.list(rounds)) {
      return (int) s.count() / 2;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes round-i-before and round-i-after as EdgeBenchmark would, alternately, a minute apart. */
  private void writeRounds(List<Double> beforePeaks, List<Double> afterPeaks, boolean withDirect) throws Exception {
    Instant t = Instant.parse("2026-12-04T10:00:00Z");
    for (int i = 0; i < beforePeaks.size(); i++) {
      for (String side : List.of("before", "after")) {
        double peak = (side.equals("before") ? beforePeaks : afterPeaks).get(i);
        Path jar = side.equals("before") ? before : after;
        Path out = rounds.resolve("round-" + (i + 1) + "-" + side);
        EdgeSettings settings = EdgeSettings.parse("--gateway-jar", jar.toString(), "--simulator-jar", before.toString(),
            "--server-cpus", "1", "--load-cpus", "0", "--out", out.toString());
        List<OverheadResult.Row> rows = new ArrayList<>();
        if (withDirect) {
          rows.add(row("direct", 40_000, 0));
        }
        rows.add(row("spillway", peak, 0));
        OverheadResult o = new OverheadResult("wrk", 64, peak / 2, rows,
            List.of(ReportEnvironment.f("spillway warm-up: 8 rounds of 5s, req/s 900 → %.0f → %.0f", peak * 0.98,
                peak)));
        EdgeRun run = new EdgeRun(settings, t, 1.5, 1.6, "test", Optional.of(o), List.of(), Optional.empty());
        Files.createDirectories(out);
        Files.writeString(out.resolve("edge.json"), EdgeReport.json(run).encodePrettily());
        t = t.plusSeconds(60);
      }
    }
  }

  /** Replaces the Spillway peak of one edge.json with {@code errors} errors and a load generator CPU time. */
  private static void rewrite(Path edgeJson, double peak, long errors, double loadCpuSeconds) throws Exception {
    JsonObject j = new JsonObject(Files.readString(edgeJson));
    for (Object p : j.getJsonObject("overhead").getJsonArray("participants")) {
      JsonObject row = (JsonObject) p;
      if (row.getString("participant").equals("spillway")) {
        row.getJsonObject("peak").put("requestsPerSecond", peak).put("errors", errors)
            .put("loadGeneratorCpuSeconds", loadCpuSeconds);
      }
    }
    Files.writeString(edgeJson, j.encodePrettily());
  }

  private static OverheadResult.Row row(String name, double peak, long errors) {
    return new OverheadResult.Row(name, new PeakResult("wrk", peak, errors, 1, 2, 15, 1.8), 0.73, 0.27,
        new OpenLoopGenerator.Summary(1, 1, 1, 1, 1, 0, 0, Map.of(), new LatencySummary(1, 1, 1, 1)),
        0.5, 0.2);
  }
}
