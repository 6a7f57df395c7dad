package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Hand-derived cases: token counts of the strings are the ones the OpenAI cookbook prints. */
class TokenEstimatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TokenEstimator estimator = TokenEstimator.byModelFamily();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void countsTextInTheModelsEncodingAsTheCookbookPrintsIt() {
    assertThat(estimator.countText("2 + 2 = 4", "gpt-4o")).isEqualTo(7);
    assertThat(estimator.countText("2 + 2 = 4", "gpt-4")).isEqualTo(7);
    assertThat(estimator.countText("antidisestablishmentarianism", "gpt-4o")).isEqualTo(6);
    assertThat(estimator.countText("お誕生日おめでとう", "gpt-4o")).isEqualTo(8);
    assertThat(estimator.countText("お誕生日おめでとう", "gpt-4")).isEqualTo(9);
    assertThat(estimator.countText("", "gpt-4o")).isZero();
    assertThat(estimator.countText(null, "gpt-4o")).isZero();
  }

  @Test
  void specialTokenTextIsCountedAsPlainTextNotRejected() {
    assertThat(estimator.countText("<|endoftext|>", "gpt-4o")).isGreaterThan(1);
  }

  @Test
  void chatCountsThreePerMessageOnePerNameAndThreeForThePriming() {
    // "user" is 1 token; 3 + 1 + 7 + 3
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS,
        json("{\"messages\":[{\"role\":\"user\",\"content\":\"2 + 2 = 4\"}]}"), "gpt-4o")).isEqualTo(14);
    // + 3 + 1 ("user") + 6 (content) + 6 (name) + 1 (per name)
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, json(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"2 + 2 = 4\"},"
            + "{\"role\":\"user\",\"name\":\"antidisestablishmentarianism\",\"content\":\"antidisestablishmentarianism\"}]}"),
        "gpt-4")).isEqualTo(14 + 3 + 1 + 6 + 6 + 1);
  }

  @Test
  void responsesCountInstructionsAndInputLikeChat() {
    // a string input is one user message: 3 + 7 + 3; instructions "2 + 2 = 4" add 7
    assertThat(estimator.promptTokens(Operation.RESPONSES, json("{\"input\":\"2 + 2 = 4\"}"), "gpt-4o")).isEqualTo(13);
    assertThat(estimator.promptTokens(Operation.RESPONSES,
        json("{\"instructions\":\"2 + 2 = 4\",\"input\":\"2 + 2 = 4\"}"), "gpt-4o")).isEqualTo(20);
    // an item array counts as chat messages, input_text parts as text: the same 14 as the chat example
    assertThat(estimator.promptTokens(Operation.RESPONSES, json("{\"input\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"input_text\",\"text\":\"2 + 2 = 4\"}]}]}"), "gpt-4o")).isEqualTo(14);
    // a low-detail image is the base 85 tokens on gpt-4o
    assertThat(estimator.promptTokens(Operation.RESPONSES, json("{\"input\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"input_image\",\"image_url\":\"https://example.com/a.png\",\"detail\":\"low\"}]}]}"),
        "gpt-4o")).isEqualTo(3 + 1 + 85 + 3);
  }

  @Test
  void responsesReserveMaxOutputTokensElseTheDefault() {
    assertThat(estimator.expectedOutputTokens(Operation.RESPONSES, json("{\"input\":\"x\",\"max_output_tokens\":64}"), 1000))
        .isEqualTo(64);
    assertThat(estimator.expectedOutputTokens(Operation.RESPONSES, json("{\"input\":\"x\"}"), 1000)).isEqualTo(1000);
  }

  @Test
  void textPartsCountAsTextAndImagesByTheirDetail() {
    JsonNode body = json("{\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"2 + 2 = 4\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\",\"detail\":\"low\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/b.png\"}}]}]}");
    // 3 + 1 + 7 + 85 (low) + 765 (unknown size, assumed 1024x1024 high) + 3
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4o")).isEqualTo(3 + 1 + 7 + 85 + 765 + 3);
    // gpt-4o-mini bills images at 2833 + 5667 per tile
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4o-mini"))
        .isEqualTo(3 + 1 + 7 + 2833 + (2833 + 4 * 5667) + 3);
  }

  @Test
  void toolCallsCountTheirNameAndArguments() {
    JsonNode body = json("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
        + "\"function\":{\"name\":\"antidisestablishmentarianism\",\"arguments\":\"2 + 2 = 4\"}}]}]}");
    // 3 + tokens("assistant") + 6 + 7 + 3
    long assistant = estimator.countText("assistant", "gpt-4o");
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4o")).isEqualTo(3 + assistant + 6 + 7 + 3);
  }

  @Test
  void toolDefinitionsFollowTheCookbookFunctionRendering() {
    JsonNode body = json("{\"messages\":[],\"tools\":[{\"type\":\"function\",\"function\":{"
        + "\"name\":\"f\",\"description\":\"2 + 2 = 4.\",\"parameters\":{\"type\":\"object\",\"properties\":{"
        + "\"p\":{\"type\":\"string\",\"description\":\"x\",\"enum\":[\"antidisestablishmentarianism\"]}}}}}]}");
    long line = estimator.countText("f:2 + 2 = 4", "gpt-4o");
    long prop = estimator.countText("p:string:x", "gpt-4o");
    // priming 3; func_init 7 + line; prop_init 3 + prop_key 3 + enum_init -3 + (3 + 6) + prop; func_end 12
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4o"))
        .isEqualTo(3 + 7 + line + 3 + 3 - 3 + 3 + 6 + prop + 12);
    // cl100k models start each function with 10 instead of 7
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4"))
        .isEqualTo(3 + 10 + estimator.countText("f:2 + 2 = 4", "gpt-4") + 3 + 3 - 3 + 3 + 6
            + estimator.countText("p:string:x", "gpt-4") + 12);
  }

  @Test
  void completionsAndEmbeddingsAcceptStringsArraysAndTokenArrays() {
    assertThat(estimator.promptTokens(Operation.COMPLETIONS, json("{\"prompt\":\"2 + 2 = 4\"}"), "gpt-3.5-turbo-instruct")).isEqualTo(7);
    assertThat(estimator.promptTokens(Operation.COMPLETIONS, json("{\"prompt\":[\"2 + 2 = 4\",\"2 + 2 = 4\"]}"), "davinci-002")).isEqualTo(14);
    assertThat(estimator.promptTokens(Operation.COMPLETIONS, json("{\"prompt\":[1,2,3]}"), "davinci-002")).isEqualTo(3);
    assertThat(estimator.promptTokens(Operation.EMBEDDINGS, json("{\"input\":\"お誕生日おめでとう\"}"), "text-embedding-3-small")).isEqualTo(9);
    assertThat(estimator.promptTokens(Operation.EMBEDDINGS, json("{\"input\":[[1,2],[3],[4,5,6]]}"), "text-embedding-3-small")).isEqualTo(6);
    assertThat(estimator.promptTokens(Operation.EMBEDDINGS, json("{\"input\":[\"2 + 2 = 4\",\"antidisestablishmentarianism\"]}"),
        "text-embedding-ada-002")).isEqualTo(13);
  }

  @Test
  void anEncodingOverrideChangesTheCount() {
    TokenEstimator pinned = TokenEstimator.withEncodingOverrides(Map.of("birthday-bot", "cl100k_base"));
    JsonNode body = json("{\"input\":\"お誕生日おめでとう\"}");
    assertThat(estimator.promptTokens(Operation.EMBEDDINGS, body, "birthday-bot")).isEqualTo(8);
    assertThat(pinned.promptTokens(Operation.EMBEDDINGS, body, "birthday-bot")).isEqualTo(9);
    assertThatThrownBy(() -> TokenEstimator.withEncodingOverrides(Map.of("m", "nope"))).hasMessageContaining("'m'");
  }

  @Test
  void malformedBodiesAndOtherOperationsCountWhatTheyCanWithoutThrowing() {
    assertThat(estimator.promptTokens(Operation.LIST_MODELS, json("{\"messages\":[]}"), "gpt-4o")).isZero();
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, null, "gpt-4o")).isZero();
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, json("[1]"), "gpt-4o")).isZero();
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS, json("{\"messages\":\"hi\"}"), "gpt-4o")).isZero();
    assertThat(estimator.promptTokens(Operation.CHAT_COMPLETIONS,
        json("{\"messages\":[42,{\"role\":7,\"content\":{\"x\":1}},{\"content\":[null,{\"type\":\"image_url\"},{\"type\":\"input_audio\"}]}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{}},{\"type\":\"web_search\"}],\"functions\":{}}"),
        null)).isPositive();
    assertThat(estimator.promptTokens(Operation.EMBEDDINGS, json("{\"input\":[[[1,2]]]}"), "text-embedding-3-small")).isZero();
  }

  @Test
  void expectedOutputPrefersMaxCompletionTokensThenMaxTokensThenTheDefaultTimesN() {
    assertThat(estimator.expectedOutputTokens(json("{\"max_completion_tokens\":100,\"max_tokens\":50}"), 4096)).isEqualTo(100);
    assertThat(estimator.expectedOutputTokens(json("{\"max_tokens\":50}"), 4096)).isEqualTo(50);
    assertThat(estimator.expectedOutputTokens(json("{\"max_tokens\":null}"), 4096)).isEqualTo(4096);
    assertThat(estimator.expectedOutputTokens(json("{\"max_tokens\":50,\"n\":3}"), 4096)).isEqualTo(150);
    assertThat(estimator.expectedOutputTokens(json("{\"n\":1}"), 4096)).isEqualTo(4096);
    assertThat(estimator.expectedOutputTokens(json("{\"prompt\":\"x\",\"max_tokens\":10,\"n\":2,\"best_of\":5}"), 16)).isEqualTo(50);
    assertThat(estimator.expectedOutputTokens(json("{\"max_tokens\":-5}"), 16)).isEqualTo(16);
    assertThat(estimator.expectedOutputTokens(json("{\"max_tokens\":9223372036854775807,\"n\":2}"), 16)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void embeddingsExpectNoOutput() {
    assertThat(estimator.expectedOutputTokens(json("{\"input\":\"x\"}"), 4096)).isZero();
    assertThat(estimator.expectedOutputTokens(Operation.EMBEDDINGS, json("{\"input\":\"x\",\"max_tokens\":5}"), 4096)).isZero();
    assertThat(estimator.expectedOutputTokens(Operation.CHAT_COMPLETIONS, json("{\"messages\":[]}"), 4096)).isEqualTo(4096);
  }

  @Test
  void concurrentCallersGetTheSameCountsAsOne() {
    List<String> texts = IntStream.range(0, 200).mapToObj(i -> "message " + i + " お誕生日 😀 ".repeat(i % 7 + 1)).toList();
    long sequential = texts.stream().mapToLong(t -> estimator.countText(t, "gpt-4o") + estimator.countText(t, "gpt-4")).sum();
    long parallel = texts.parallelStream().mapToLong(t -> estimator.countText(t, "gpt-4o") + estimator.countText(t, "gpt-4")).sum();
    assertThat(parallel).isEqualTo(sequential);
  }

  @Test
  void warmingUpForTheConfiguredModelsLoadsTheirVocabulariesOnly() {
    TokenEstimator estimator = TokenEstimator.byModelFamily();
    assertThat(estimator.warmUp(java.util.List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1")))
        .containsExactly(com.knuddels.jtokkit.api.EncodingType.O200K_BASE);
    assertThat(estimator.warmUp(java.util.List.of("gpt-4", "text-embedding-3-small")))
        .containsExactly(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);
    assertThat(TokenEstimator.withEncodingOverrides(java.util.Map.of("chat-prod", "cl100k_base"))
        .warmUp(java.util.List.of("chat-prod", "gpt-4o")))
        .containsExactlyInAnyOrder(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE,
            com.knuddels.jtokkit.api.EncodingType.O200K_BASE);
    assertThat(estimator.warmUp(java.util.List.of())).as("no models: the default vocabulary").hasSize(1);
  }
}
