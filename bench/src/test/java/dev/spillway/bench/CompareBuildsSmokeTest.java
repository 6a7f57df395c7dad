package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.bench.CompareBuilds.Comparison;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps bench/run-compare's machinery from rotting: a tiny overhead-only EdgeBenchmark run of Spillway (gateway and
 * simulator from the class path, the Java load generator: nothing to install) laid out as the script lays out round
 * 1 before, the same folder copied as round 1 after (a second real run would double the test's ~15 s for nothing
 * new), then the comparison report over the two. Checks only that the figures are read and the report is written; a
 * round this short says nothing about any build.
 */
class CompareBuildsSmokeTest {

  @Test
  void aTinyRoundPerSideMakesAReport(@TempDir Path out) throws Exception {
    Path rounds = out.resolve("compare-rounds");
    Path jar = Files.writeString(out.resolve("spillway.jar"), "stands in for both builds");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path first = rounds.resolve("round-1-before");
    EdgeSettings settings =
        EdgeSettings.parse(
            "--scenarios", "overhead",
            "--participants", "spillway",
            "--load-tool", "java",
            "--peak-duration", "500ms",
            "--latency-duration", "200ms",
            "--warmup", "200ms",
            "--connections", "4",
            "--out", first.toString());
    EdgeReport.write(EdgeBenchmark.run(settings, new PrintStream(log, true, StandardCharsets.UTF_8)));
    Path second = Files.createDirectories(rounds.resolve("round-1-after"));
    for (String file : new String[] {"edge.json", "edge.md"}) {
      Files.copy(first.resolve(file), second.resolve(file));
    }

    Comparison c = CompareBuilds.read(rounds, 1, jar, jar, 0.95, "smoke", "test");
    Path md = CompareReport.write(c, out, "compare");

    assertThat(c.rounds()).extracting(CompareBuilds.Round::side).containsExactly("before", "after");
    assertThat(c.rounds()).allSatisfy(r -> {
      assertThat(r.spillway()).isPositive();
      assertThat(r.spillwayErrors()).isZero();
    });
    assertThat(CompareReport.ratio(c)).isEqualTo(1.0);
    assertThat(Files.readString(md)).contains("measured alternately", "| 1 | before |", "| 1 | after |", "same build");
    JsonObject json = new JsonObject(Files.readString(out.resolve("compare.json")));
    assertThat(json.getJsonArray("rounds")).hasSize(2);
    assertThat(json.getJsonObject("machine").getInteger("cpus")).isPositive();
  }
}
