package dev.spillway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import dev.spillway.core.tokens.TokenEstimator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * A fixed set of chat requests of varied size, built once from the seed: prompts of {@value
 * #MIN_PROMPT}..{@value #MAX_PROMPT} tokens, {@code max_tokens} of {@value #MIN_MAX_TOKENS}..{@value
 * #MAX_MAX_TOKENS} (or none, for a given share). Each request knows what the gateway will reserve
 * for it: its prompt counted by the gateway's own {@link TokenEstimator} plus its {@code
 * max_tokens} (or {@code limits.defaultMaxTokens}). Immutable and thread-safe once built.
 */
final class ChatRequestPool {
  static final int MIN_PROMPT = 50;
  static final int MAX_PROMPT = 400;
  static final int MIN_MAX_TOKENS = 50;
  static final int MAX_MAX_TOKENS = 300;
  private static final int SIZE = 512;
  private static final String SYSTEM = "You are a careful assistant for the operations team.";
  private static final String[] WORDS = (
      "the capacity report shows which region ran hot during the quarter and how much traffic moved from"
          + " provisioned throughput to pay as you go with the cost of each model deployment and the number of"
          + " requests that were throttled by the service please summarise the main trends list the three largest"
          + " risks and suggest what the platform team should change before next month keep the answer short use"
          + " plain words and end with one sentence for the finance team about budget forecast latency tokens"
          + " prompt completion customer search support ticket invoice contract policy review draft email meeting"
          + " agenda notes action items owner deadline status blocked done")
      .split(" ");

  /**
   * One request.
   *
   * @param body the JSON body
   * @param promptTokens the prompt as the gateway's tokenizer counts it
   * @param maxTokens its {@code max_tokens}, if set
   * @param reservedTokens what the gateway reserves at admission
   */
  record ChatRequest(byte[] body, long promptTokens, OptionalInt maxTokens, long reservedTokens) {}

  private final List<ChatRequest> requests;

  private ChatRequestPool(List<ChatRequest> requests) {
    this.requests = List.copyOf(requests);
  }

  /**
   * @param model the logical model name every request asks for (it also picks the tokenizer)
   * @param noMaxTokensShare share of requests without {@code max_tokens}
   * @param defaultMaxTokens what the gateway reserves for those ({@code limits.defaultMaxTokens})
   */
  static ChatRequestPool build(String model, long seed, double noMaxTokensShare, long defaultMaxTokens) {
    TokenEstimator estimator = TokenEstimator.byModelFamily();
    ObjectMapper mapper = new ObjectMapper();
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Integer> wordTokens = new HashMap<>();
    long base = estimate(estimator, mapper, body(model, "", OptionalInt.empty()), model);
    List<ChatRequest> out = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      int target = MIN_PROMPT + random.nextInt(MAX_PROMPT - MIN_PROMPT + 1);
      StringBuilder content = new StringBuilder();
      long approx = base;
      while (approx < target) {
        String word = WORDS[random.nextInt(WORDS.length)];
        approx += wordTokens.computeIfAbsent(word, w -> estimator.countText(" " + w, model));
        content.append(content.isEmpty() ? "" : " ").append(word);
      }
      OptionalInt maxTokens =
          random.nextDouble() < noMaxTokensShare
              ? OptionalInt.empty()
              : OptionalInt.of(MIN_MAX_TOKENS + random.nextInt(MAX_MAX_TOKENS - MIN_MAX_TOKENS + 1));
      byte[] body = body(model, content.toString(), maxTokens);
      long prompt = estimate(estimator, mapper, body, model);
      long reserved = prompt + (maxTokens.isPresent() ? maxTokens.getAsInt() : defaultMaxTokens);
      out.add(new ChatRequest(body, prompt, maxTokens, reserved));
    }
    return new ChatRequestPool(out);
  }

  ChatRequest pick(SplittableRandom random) {
    return requests.get(random.nextInt(requests.size()));
  }

  List<ChatRequest> all() {
    return requests;
  }

  private static byte[] body(String model, String content, OptionalInt maxTokens) {
    JsonObject body =
        new JsonObject()
            .put("model", model)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "system").put("content", SYSTEM))
                    .add(new JsonObject().put("role", "user").put("content", content)));
    maxTokens.ifPresent(m -> body.put("max_tokens", m));
    return body.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static long estimate(TokenEstimator estimator, ObjectMapper mapper, byte[] body, String model) {
    try {
      JsonNode node = mapper.readTree(body);
      return estimator.promptTokens(Operation.CHAT_COMPLETIONS, node, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
