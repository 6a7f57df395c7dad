package dev.spillway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class UsageParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void readsEveryCountFromAWholeResponse() throws Exception {
    JsonNode response =
        json(
            """
            {"id":"chatcmpl-1","object":"chat.completion","choices":[],
             "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,
                      "prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":8,"audio_tokens":0}}}
            """);

    assertThat(UsageParser.fromJson(response)).contains(new TokenUsage(100, 20, 120, 64, 8));
  }

  @Test
  void readsTheResponsesApiShape() throws Exception {
    JsonNode response =
        json(
            """
            {"id":"resp_1","object":"response","status":"completed",
             "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":12},
                      "output_tokens":87,"output_tokens_details":{"reasoning_tokens":5},"total_tokens":123}}
            """);

    assertThat(UsageParser.fromJson(response)).contains(new TokenUsage(36, 87, 123, 12, 5));
    assertThat(UsageParser.fromJson(json("{\"input_tokens\":3,\"output_tokens\":4}"))).contains(TokenUsage.of(3, 4));
    assertThat(UsageParser.fromJson(json("{\"input_tokens\":-3,\"output_tokens\":4}"))).isEmpty();
  }

  @Test
  void readsTheRealtimeSpellingOfDetails() throws Exception {
    assertThat(UsageParser.fromJson(json("{\"total_tokens\":30,\"input_tokens\":20,\"output_tokens\":10,"
        + "\"input_token_details\":{\"cached_tokens\":4,\"text_tokens\":20,\"audio_tokens\":0},"
        + "\"output_token_details\":{\"text_tokens\":10,\"audio_tokens\":0}}")))
        .contains(new TokenUsage(20, 10, 30, 4, 0));
  }

  @Test
  void readsAUsageObjectDirectly() throws Exception {
    assertThat(UsageParser.fromJson(json("{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}")))
        .contains(TokenUsage.of(3, 4));
  }

  @Test
  void missingDetailsAndCompletionReadAsZeroForEmbeddings() throws Exception {
    assertThat(UsageParser.fromJson(json("{\"object\":\"list\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}")))
        .contains(new TokenUsage(8, 0, 8, 0, 0));
  }

  @Test
  void missingTotalIsPromptPlusCompletion() throws Exception {
    assertThat(UsageParser.fromJson(json("{\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2}}")))
        .contains(TokenUsage.of(8, 2));
  }

  @Test
  void nullDetailsObjectsReadAsZero() throws Exception {
    assertThat(
            UsageParser.fromJson(
                json("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2,\"prompt_tokens_details\":null}}")))
        .contains(TokenUsage.of(1, 1));
  }

  @Test
  void absentOrMalformedUsageIsEmptyNotZero() throws Exception {
    assertThat(UsageParser.fromJson(null)).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"choices\":[]}"))).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"usage\":null}"))).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"usage\":{}}"))).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"usage\":\"lots\"}"))).isEmpty();
    assertThat(UsageParser.fromJson(json("[1,2]"))).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"usage\":{\"prompt_tokens\":-1,\"total_tokens\":2}}"))).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"usage\":{\"prompt_tokens\":\"12\",\"total_tokens\":2}}"))).isEmpty();
    assertThat(UsageParser.fromJson(json("{\"usage\":{\"prompt_tokens\":1.5,\"total_tokens\":2}}"))).isEmpty();
  }
}
