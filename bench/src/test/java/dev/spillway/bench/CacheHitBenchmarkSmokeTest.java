package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the cache-hit harness from rotting: a few hundred requests of each kind through a real gateway in front of a
 * real simulator (each its own process). It checks that each kind is what it claims (every hit a HIT, every proxied
 * request a BYPASS, every miss a MISS), that CPU was measured and the report written — not the verdicts, which so few
 * requests cannot test.
 */
class CacheHitBenchmarkSmokeTest {

  @Test
  void measuresEachKindAndWritesTheReport(@TempDir Path out, @TempDir Path work) throws Exception {
    CacheHitBenchmark.Settings settings = CacheHitBenchmark.Settings.parse(
        "--requests", "300", "--connections", "4", "--rounds", "1", "--low-rate", "50", "--low-seconds", "1",
        "--out", out.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    CacheHitBenchmark.Result r = CacheHitBenchmark.run(settings, work, new PrintStream(log, true, StandardCharsets.UTF_8));
    CacheHitReport.write(r);

    assertThat(r.hit().cacheHeaders()).isEqualTo(Map.of("HIT", 300));
    assertThat(r.proxied().cacheHeaders()).isEqualTo(Map.of("BYPASS", 300));
    assertThat(r.miss().cacheHeaders()).isEqualTo(Map.of("MISS", 300));
    assertThat(r.hit().cpuMicros()).hasSize(1).allSatisfy(m -> assertThat(m).isPositive());
    assertThat(r.proxied().median()).isPositive();
    assertThat(r.lowLoad().samples()).isPositive();
    JsonObject json = new JsonObject(Files.readString(out.resolve("cache-hit.json")));
    assertThat(json.getString("cpuVerdict")).isIn("PASS", "FAIL");
    assertThat(Files.readString(out.resolve("cache-hit.md"))).contains("| exact hit |");
  }
}
