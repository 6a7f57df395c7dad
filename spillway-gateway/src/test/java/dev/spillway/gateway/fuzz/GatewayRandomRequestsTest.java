package dev.spillway.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same grammar and the same check as {@link GatewayRequestFuzzTest}, driven by a seeded random source instead of
 * the fuzzer: a fixed set of 400 requests that every ordinary test run sends, the same on every machine. A failure
 * names the seed and the request.
 */
class GatewayRandomRequestsTest {
  private static final long SEED = 20261205L;
  private static final int REQUESTS = 400;
  private static FuzzGateway gateway;

  @BeforeAll
  static void start() {
    gateway = FuzzGateway.start();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /**
   * Found by fuzzing: a broken percent escape in a path name threw in the route table, and the client waited,
   * unanswered, for the connection's idle timeout (5 minutes by default) while the gateway logged a stack trace.
   */
  @Test
  void aBrokenPercentEscapeInThePathIsAnOpenAiShaped404() throws Exception {
    for (String line : new String[] {"POST /openai/deployments/%25zz%/chat/completions?api-version=2024-10-21",
        "GET /v1/models/%", "POST /openai/deployments/%e/embeddings"}) {
      byte[] request = (line + " HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}")
          .getBytes(StandardCharsets.US_ASCII);
      RawHttp.Answer answer = RawHttp.exchange(gateway.port(), request);
      RawHttp.assertSound(answer, request);
      assertThat(answer.status()).as(line).isEqualTo(404);
      assertThat(answer.bodyText()).as(line).contains("\"unknown_url\"");
    }
  }

  @Test
  void answersEveryRandomRequestWithoutA5xx() throws Exception {
    Choices choices = Choices.of(new Random(SEED));
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      byte[] request = ClientRequests.next(choices);
      RawHttp.Answer answer = RawHttp.exchange(gateway.port(), request);
      RawHttp.assertSound(answer, request);
      statuses.merge(answer.status(), 1, Integer::sum);
    }
    System.out.println("random requests by status: " + statuses);
    // The grammar must reach past the first checks: some requests are served, and not every refusal is the same.
    assertThat(statuses.get(200)).as("served, in %s", statuses).isGreaterThan(REQUESTS / 20);
    assertThat(statuses).as("statuses").hasSizeGreaterThan(4);
  }
}
