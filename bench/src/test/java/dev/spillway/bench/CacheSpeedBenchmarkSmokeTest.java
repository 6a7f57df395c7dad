package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.tokens.TokenEstimator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the cache-speed harness from rotting: the real model and the real index, small (3,000 entries through the
 * graph, 500 exhaustively, a few dozen embeddings). It checks that the harness measures what it says — every planted
 * neighbour found in both regimes, the figures positive, the report written — not the targets, which a small run on
 * a busy machine cannot decide.
 */
class CacheSpeedBenchmarkSmokeTest {

  @Test
  void measuresEmbeddingAndBothSearchesAndWritesTheReport(@TempDir Path out) throws Exception {
    CacheSpeedSettings settings = CacheSpeedSettings.parse("--entries", "3000", "--exact-entries", "500",
        "--lookups", "200", "--embeddings", "20", "--warmups", "20", "--out", out.toString());

    CacheSpeedRun run = CacheSpeedBenchmark.run(settings, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8));
    CacheSpeedReport.write(run);

    assertThat(run.embedding().latency().samples()).isEqualTo(20);
    assertThat(run.embedding().latency().p50Millis()).isPositive();
    assertThat(run.lookups()).extracting(CacheSpeedRun.Lookups::entries).containsExactly(500, 3000);
    assertThat(run.lookups()).extracting(CacheSpeedRun.Lookups::graph).containsExactly(false, true);
    for (CacheSpeedRun.Lookups l : run.lookups()) {
      assertThat(l.all().samples()).isEqualTo(200);
      assertThat(l.near().samples() + l.far().samples()).isEqualTo(200);
      assertThat(l.near().samples()).isPositive();
      assertThat(l.nearFound()).as("every planted neighbour found among %d", l.entries()).isEqualTo(l.near().samples());
      assertThat(l.all().p99Millis()).isPositive();
    }
    assertThat(run.atTargetSize()).isFalse();

    String md = Files.readString(out.resolve("cache-speed.md"));
    assertThat(md).contains("# Cache speed", "## Verdict", "embedding of a 30-token message ≤ 15 ms p99",
        "lookup ≤ 5 ms p99 at 3,000 entries", "NOT the target's 100,000 entries", "| 3,000 | HNSW |",
        "| 500 | exhaustive |");
    JsonObject json = new JsonObject(Files.readString(out.resolve("cache-speed.json")));
    assertThat(json.getJsonObject("verdict").getBoolean("lookupPass")).isFalse();
    assertThat(json.getJsonArray("lookups")).hasSize(2);
  }

  @Test
  void theMessagesAreExactlyThirtyTokensAndDifferent() {
    TokenEstimator tokens = TokenEstimator.byModelFamily();
    List<String> messages = FixedLengthMessages.make(20, 30, tokens);
    assertThat(messages).hasSize(20).doesNotHaveDuplicates();
    assertThat(messages).allSatisfy(m -> assertThat(tokens.countText(m, "gpt-4o")).isEqualTo(30));
  }

  @Test
  void flagsNameTheProblem() {
    assertThatThrownBy(() -> CacheSpeedSettings.parse("--entries", "many")).hasMessageContaining("--entries");
    assertThatThrownBy(() -> CacheSpeedSettings.parse("--exact-entries", "5000")).hasMessageContaining("--exact");
    assertThatThrownBy(() -> CacheSpeedSettings.parse("--nope", "1")).hasMessageContaining("--nope");
    assertThat(CacheSpeedSettings.parse().entries()).isEqualTo(100_000);
  }
}
