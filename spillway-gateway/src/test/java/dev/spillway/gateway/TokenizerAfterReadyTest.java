package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.Tier;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.core.tokens.Vocabularies;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer vocabularies load on a worker once the gateway is ready: start-up does not wait for them, and a request
 * that arrives while they load is counted (exactly) on a worker, with the event loop answering other requests meanwhile.
 */
class TokenizerAfterReadyTest {
  private final CountDownLatch loadMayFinish = new CountDownLatch(1);
  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
  private final TokenEstimator held = TokenEstimator.byModelFamily(Vocabularies.loadingWith(type -> {
    try {
      if (!loadMayFinish.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the vocabulary load finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return registry.getEncoding(type);
  }));
  private TestWorld world;

  @AfterEach
  void stop() {
    loadMayFinish.countDown();
    world.close();
  }

  @Test
  void readyBeforeTheVocabularyLoadsAndAFirstRequestIsCountedOnceItHasLoaded() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("a", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(Backends.azure("a", world.simUrl(), "a", Tier.PAYG, 1)))), held);
    assertThat(Http.get(world.url("/readyz")).statusCode()).as("ready while the vocabulary is still loading").isEqualTo(200);
    assertThat(held.vocabularyLoaded("gpt-4o")).isFalse();

    // Streamed and broken off by the simulator before any usage: the gateway books its own prompt estimate.
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Count these words for me, please.\"}],"
        + "\"max_tokens\":50,\"stream\":true}";
    CompletableFuture<HttpResponse<String>> first = HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(URI.create(world.url("/v1/chat/completions")))
            .header("content-type", "application/json").header("x-sim-fault", "midstream")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());

    // While the request waits for the vocabulary, the event loop answers others.
    for (int i = 0; i < 5; i++) {
      assertThat(Http.get(world.url("/healthz")).statusCode()).isEqualTo(200);
    }
    assertThat(first).as("the first request waits for the vocabulary").isNotDone();

    loadMayFinish.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.usageEstimated()).isTrue();
    JsonNode parsed = Http.JSON.readTree(body);
    long expected = TokenEstimator.byModelFamily().promptTokens(Operation.CHAT_COMPLETIONS, parsed, "gpt-4o");
    assertThat(outcome.usage()).hasValueSatisfying(u -> assertThat(u.promptTokens()).isEqualTo(expected).isPositive());
    assertThat(held.vocabularyLoaded("gpt-4o")).isTrue();
  }
}
