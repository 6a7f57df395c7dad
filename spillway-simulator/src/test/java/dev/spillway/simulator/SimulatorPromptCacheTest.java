package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A deployment's prompt cache over HTTP: whole 1,024-token blocks of a recently seen prefix are reported cached. */
class SimulatorPromptCacheTest {
  private static final String URL = "/openai/deployments/%s/chat/completions?api-version=2024-10-21";
  private static SimHarness harness;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** {@code words} distinct-ish words: about one token each. */
  private static String text(String seed, int words) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words; i++) {
      out.append(seed).append(i % 97).append(' ');
    }
    return out.toString();
  }

  private static String chat(String system, String user, String extra) {
    return "{\"messages\":[{\"role\":\"system\",\"content\":\"" + system + "\"},{\"role\":\"user\",\"content\":\""
        + user + "\"}],\"max_tokens\":4" + extra + "}";
  }

  private static JsonNode usage(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return SimHarness.json(r).path("usage");
  }

  /**
   * The cached tokens to expect for a prompt whose system message is {@code system} after one with the same system
   * message: its whole blocks. The test's texts keep the block boundary away from the end of the shared part.
   */
  private static long sharedBlocks(String system) {
    int tokens = TokenCounter.count("system\n" + system + "\n");
    assertThat(tokens % PromptCache.BLOCK_TOKENS).as("the shared part does not end near a block boundary")
        .isBetween(20, PromptCache.BLOCK_TOKENS - 20);
    return tokens / PromptCache.BLOCK_TOKENS * (long) PromptCache.BLOCK_TOKENS;
  }

  private static long cached(JsonNode usage) {
    return usage.path("prompt_tokens_details").path("cached_tokens").asLong();
  }

  @Test
  void aPromptThatBeginsLikeARecentOneReportsItsWholeBlocksCached() {
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.payg("cached", 0, 0).withPromptCache(true),
        DeploymentConfig.payg("other", 0, 0).withPromptCache(true)));
    String url = URL.formatted("cached");
    String system = text("w", 1_500);
    long shared = sharedBlocks(system);
    assertThat(shared).isGreaterThanOrEqualTo(2_048);

    JsonNode first = usage(harness.post(sim, url, chat(system, "first question", "")));
    JsonNode second = usage(harness.post(sim, url, chat(system, "second question", "")));
    JsonNode changedEarly = usage(harness.post(sim, url, chat("Today. " + system, "second question", "")));
    JsonNode elsewhere = usage(harness.post(sim, URL.formatted("other"), chat(system, "first question", "")));

    assertThat(cached(first)).isZero();
    assertThat(cached(second)).isEqualTo(shared);
    assertThat(second.path("prompt_tokens").asLong()).isEqualTo(first.path("prompt_tokens").asLong());
    assertThat(cached(changedEarly)).as("one token changed early: nothing after it matches").isZero();
    assertThat(cached(elsewhere)).as("each deployment has its own cache").isZero();
  }

  @Test
  void aStreamReportsItsCachedTokensInTheUsageChunk() {
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.payg("cached", 0, 0).withPromptCache(true)));
    String system = text("s", 700);
    long shared = sharedBlocks(system);
    assertThat(shared).isPositive();
    harness.post(sim, URL.formatted("cached"), chat(system, "q1", ""));
    HttpResponse<String> stream = harness.post(sim, URL.formatted("cached"),
        chat(system, "q2", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    List<String> data = SimHarness.sseData(stream.body());
    JsonNode usage = SimHarness.parse(data.get(data.size() - 2)).path("usage");
    assertThat(cached(usage)).isEqualTo(shared);
  }

  @Test
  void shortPromptsAndDeploymentsWithoutAPromptCacheReportNone() {
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.payg("cached", 0, 0).withPromptCache(true),
        DeploymentConfig.payg("plain", 0, 0)));
    String shortPrompt = text("t", 200);
    assertThat(TokenCounter.count(shortPrompt)).isLessThan(PromptCache.BLOCK_TOKENS - 20);
    harness.post(sim, URL.formatted("cached"), chat(shortPrompt, "q", ""));
    assertThat(cached(usage(harness.post(sim, URL.formatted("cached"), chat(shortPrompt, "q", ""))))).isZero();
    String longPrompt = text("u", 1_500);
    harness.post(sim, URL.formatted("plain"), chat(longPrompt, "q", ""));
    assertThat(cached(usage(harness.post(sim, URL.formatted("plain"), chat(longPrompt, "q", ""))))).isZero();
  }

  @Test
  void theConfigKeyTurnsItOn() {
    SimulatorConfig config = SimulatorConfig.parse("""
        deployments:
          - {name: c, tier: payg, promptCache: true}
          - {name: d, tier: payg}
        """);
    assertThat(config.deployments()).extracting(DeploymentConfig::promptCache).containsExactly(true, false);
  }
}
