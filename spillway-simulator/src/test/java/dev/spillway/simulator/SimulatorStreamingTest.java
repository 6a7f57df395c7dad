package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSE streaming: event sequence, usage chunk, pacing. */
class SimulatorStreamingTest {
  private static SimHarness harness;
  private static Simulator fast;
  private static Simulator timed;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    fast = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)));
    timed = harness.start(SimulatorConfig.builder()
        .timing(Timing.defaults().withTtftBase(Duration.ofMillis(60)).withTtftPerPromptToken(Duration.ofMillis(1))
            .withOutputTokensPerSecond(100))
        .deployment(DeploymentConfig.payg("gpt-4o", 0, 0))
        .build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void streamsAzureShapedChunksWithoutUsageUnlessAsked() {
    HttpResponse<String> r = harness.post(fast, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        SimHarness.chat(null, "\"stream\":true", "\"max_tokens\":12"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> data = SimHarness.sseData(r.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(SimHarness::parse).toList();

    JsonNode first = chunks.get(0);
    assertThat(first.path("choices").isEmpty()).isTrue();
    assertThat(first.path("prompt_filter_results").isArray()).isTrue();
    JsonNode role = chunks.get(1);
    assertThat(role.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(role.path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    List<JsonNode> content = chunks.subList(2, chunks.size() - 1);
    assertThat(content).hasSize(12).allSatisfy(c -> {
      assertThat(c.path("choices").get(0).path("delta").path("content").isTextual()).isTrue();
      assertThat(c.path("choices").get(0).path("finish_reason").isNull()).isTrue();
      assertThat(c.has("usage")).isFalse();
    });
    JsonNode last = chunks.getLast();
    assertThat(last.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(chunks).noneMatch(c -> c.hasNonNull("usage"));
    assertThat(chunks.subList(1, chunks.size())).extracting(c -> c.path("id").asText()).containsOnly(role.path("id").asText());
  }

  @Test
  void includeUsageAddsOneUsageChunkBeforeDone() {
    HttpResponse<String> r = harness.post(fast, "/v1/chat/completions",
        SimHarness.chat("gpt-4o", "\"stream\":true", "\"stream_options\":{\"include_usage\":true}"));

    List<String> data = SimHarness.sseData(r.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(SimHarness::parse).toList();
    List<JsonNode> withUsage = chunks.stream().filter(c -> c.hasNonNull("usage")).toList();
    assertThat(withUsage).hasSize(1);
    JsonNode usageChunk = withUsage.getFirst();
    assertThat(chunks.getLast()).isSameAs(usageChunk);
    assertThat(usageChunk.path("choices").isEmpty()).isTrue();

    StringBuilder text = new StringBuilder();
    int contentChunks = 0;
    for (JsonNode c : chunks) {
      JsonNode delta = c.path("choices").path(0).path("delta");
      if (delta.has("content") && !delta.has("role")) {
        text.append(delta.get("content").asText());
        contentChunks++;
      }
    }
    JsonNode usage = usageChunk.path("usage");
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(contentChunks).isEqualTo(TokenCounter.count(text.toString()));
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(
        CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(SimHarness.CHAT)).promptTokens());
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("prompt_tokens").asInt() + contentChunks);
    assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.subList(1, chunks.size() - 1)).allSatisfy(c -> assertThat(c.get("usage").isNull()).isTrue());
  }

  @Test
  void textCompletionsStreamToo() {
    HttpResponse<String> r = harness.post(fast, "/v1/completions",
        "{\"model\":\"gpt-4o\",\"prompt\":\"Hi\",\"max_tokens\":3,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    List<String> data = SimHarness.sseData(r.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    JsonNode usage = SimHarness.parse(data.get(data.size() - 2)).path("usage");
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
    assertThat(SimHarness.parse(data.get(1)).path("object").asText()).isEqualTo("text_completion");
  }

  @Test
  void largeZeroLatencyStreamArrivesWhole() {
    HttpResponse<String> r = harness.post(fast, "/v1/chat/completions",
        SimHarness.chat("gpt-4o", "\"stream\":true", "\"max_tokens\":16000"));
    List<String> data = SimHarness.sseData(r.body());
    assertThat(data).hasSize(16_000 + 4);
    assertThat(data.getLast()).isEqualTo("[DONE]");
  }

  @Test
  void firstTokenWaitsForTtftWhichGrowsWithThePrompt() throws Exception {
    String shortPrompt = SimHarness.chat("gpt-4o", "\"stream\":true", "\"max_tokens\":2");
    String longPrompt = "{\"model\":\"gpt-4o\",\"stream\":true,\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\""
        + "river ".repeat(200) + "\"}]}";

    long shortTtft = millisToFirstContent(shortPrompt);
    long longTtft = millisToFirstContent(longPrompt);

    // Lower bounds only: a busy machine may add delay, never remove it.
    int shortTokens = CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(shortPrompt)).promptTokens();
    int longTokens = CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(longPrompt)).promptTokens();
    assertThat(longTokens).isGreaterThan(200);
    assertThat(shortTtft).isGreaterThanOrEqualTo(60 + shortTokens);
    assertThat(longTtft).isGreaterThanOrEqualTo(60 + longTokens);
  }

  @Test
  void nonStreamedAnswerWaitsForTheWholeOutput() {
    long start = System.nanoTime();
    HttpResponse<String> r = harness.post(timed, "/v1/chat/completions", SimHarness.chat("gpt-4o", "\"max_tokens\":11"));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(60 + 10 * 10); // TTFT + 10 more tokens at 100/s
  }

  @Test
  void clientLeavingMidStreamDoesNotDisturbTheServer() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(timed.baseUrl() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(SimHarness.chat("gpt-4o", "\"stream\":true", "\"max_tokens\":500")))
        .build();
    HttpResponse<InputStream> r = harness.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      assertThat(body.read()).isEqualTo('d');
    }
    assertThat(harness.post(timed, "/v1/chat/completions", SimHarness.chat("gpt-4o", "\"max_tokens\":1")).statusCode())
        .isEqualTo(200);
  }

  private long millisToFirstContent(String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(timed.baseUrl() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long start = System.nanoTime();
    HttpResponse<InputStream> r = harness.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.contains("\"content\":\"") && !line.contains("\"role\"")) {
          return (System.nanoTime() - start) / 1_000_000;
        }
      }
    }
    throw new AssertionError("no content event");
  }
}
