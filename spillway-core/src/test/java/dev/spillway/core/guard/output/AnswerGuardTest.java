package dev.spillway.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.TextCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerGuardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CARD = "4111 1111 1111 1111";

  private static final AnswerGuard GUARD = OutputGuard.of(List.of(
      TestChecks.card(GuardAction.MASK),
      TestChecks.word("darn", GuardAction.MASK, "blocklist", 3, "mild"),
      TestChecks.word("forbidden", GuardAction.BLOCK, "blocklist", 6, "house-rules"),
      TestChecks.word("ignore", GuardAction.BLOCK, "prompt_injection", 6, "override"),
      TestChecks.word("gore", GuardAction.BLOCK, "violence", 5, "cs"),
      TestChecks.word("hello", GuardAction.LOG, "greeting", 0, "hi"))).answerGuard();

  private static byte[] chat(String... contents) {
    StringBuilder choices = new StringBuilder();
    for (int i = 0; i < contents.length; i++) {
      choices.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
          .append(",\"message\":{\"role\":\"assistant\",\"content\":\"").append(contents[i])
          .append("\",\"refusal\":null},\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":-0.5}]},"
              + "\"finish_reason\":\"stop\",\"content_filter_results\":{\"hate\":{\"filtered\":false,"
              + "\"severity\":\"safe\"}}}");
    }
    return ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"gpt-4o\",\"choices\":["
        + choices + "],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21},"
        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode tree(GuardedAnswer a) throws Exception {
    return JSON.readTree(a.body());
  }

  @Test
  void aCleanAnswerLeavesAsItsOwnBytes() {
    byte[] body = chat("All is well.");
    GuardedAnswer a = GUARD.guard(body);
    assertThat(a.body()).isSameAs(body);
    assertThat(a.changed()).isFalse();
    assertThat(a.action()).isEqualTo(GuardAction.ALLOW);
    assertThat(a.findings()).isEmpty();
  }

  @Test
  void logFindingsAreReportedButTheAnswerIsUntouched() {
    byte[] body = chat("hello there");
    GuardedAnswer a = GUARD.guard(body);
    assertThat(a.body()).isSameAs(body);
    assertThat(a.action()).isEqualTo(GuardAction.LOG);
    assertThat(a.findings()).singleElement().satisfies(f -> {
      assertThat(f.category()).isEqualTo("greeting");
      assertThat(f.start()).isZero();
      assertThat(f.end()).isEqualTo(5);
    });
  }

  @Test
  void maskFindingsBecomePlaceholdersAndTheirLogprobsGo() throws Exception {
    GuardedAnswer a = GUARD.guard(chat("Pay with " + CARD + ", darn it. hello"));
    assertThat(a.changed()).isTrue();
    assertThat(a.action()).isEqualTo(GuardAction.MASK);
    assertThat(a.findings()).extracting(f -> f.category())
        .containsExactlyInAnyOrder("pii.credit_card", "blocklist", "greeting");
    JsonNode c = tree(a);
    JsonNode choice = c.path("choices").get(0);
    assertThat(choice.path("message").path("content").asText())
        .isEqualTo("Pay with [CREDIT_CARD], [BLOCKED] it. hello");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("logprobs").isNull()).isTrue();
    assertThat(c.path("usage").path("total_tokens").asInt()).isEqualTo(21);
    assertThat(new String(a.body(), StandardCharsets.UTF_8)).doesNotContain("4111");
    assertThat(a.toString()).doesNotContain("4111").doesNotContain("Pay");
  }

  @Test
  void aBlockFiltersOnlyItsChoiceAsAzureDoes() throws Exception {
    GuardedAnswer a = GUARD.guard(chat("Fine text.", "This is forbidden talk, " + CARD));
    assertThat(a.action()).isEqualTo(GuardAction.BLOCK);
    assertThat(a.blocked()).isTrue();
    JsonNode c = tree(a);
    JsonNode kept = c.path("choices").get(0);
    assertThat(kept.path("message").path("content").asText()).isEqualTo("Fine text.");
    assertThat(kept.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode filtered = c.path("choices").get(1);
    assertThat(filtered.path("message").has("content")).isTrue();
    assertThat(filtered.path("message").path("content").isNull()).isTrue();
    assertThat(filtered.path("finish_reason").asText()).isEqualTo("content_filter");
    assertThat(filtered.path("logprobs").isNull()).isTrue();
    assertThat(filtered.path("content_filter_results").toString()).isEqualTo("{\"hate\":{\"filtered\":false,"
        + "\"severity\":\"safe\"},\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"filtered\":true,"
        + "\"id\":\"house-rules\"}]}}");
    assertThat(c.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
    assertThat(c.path("prompt_filter_results").isArray()).isTrue();
  }

  @Test
  void injectionAndHarmFindingsUseAzuresKeys() throws Exception {
    JsonNode results = tree(GUARD.guard(chat("ignore the gore"))).path("choices").get(0)
        .path("content_filter_results");
    assertThat(results.path("jailbreak").toString()).isEqualTo("{\"filtered\":true,\"detected\":true}");
    assertThat(results.path("violence").toString()).isEqualTo("{\"filtered\":true,\"severity\":\"medium\"}");
    assertThat(results.has("custom_blocklists")).isFalse();
  }

  @Test
  void legacyCompletionsAreMaskedAndFilteredByTheirText() throws Exception {
    String body = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"davinci\",\"choices\":["
        + "{\"text\":\"card " + CARD + "\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"},"
        + "{\"text\":\"forbidden\",\"index\":1,\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}";
    GuardedAnswer a = GUARD.guard(body.getBytes(StandardCharsets.UTF_8));
    JsonNode c = tree(a);
    assertThat(c.path("choices").get(0).path("text").asText()).isEqualTo("card [CREDIT_CARD]");
    assertThat(c.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(c.path("choices").get(1).path("text").asText()).isEmpty();
    assertThat(c.path("choices").get(1).path("finish_reason").asText()).isEqualTo("content_filter");
    assertThat(c.path("choices").get(1).path("content_filter_results").path("custom_blocklists")
        .path("filtered").asBoolean()).isTrue();
    assertThat(c.path("usage").path("total_tokens").asInt()).isEqualTo(3);
  }

  private static byte[] response(String... texts) {
    StringBuilder parts = new StringBuilder();
    for (int i = 0; i < texts.length; i++) {
      parts.append(i == 0 ? "" : ",").append("{\"type\":\"output_text\",\"text\":\"").append(texts[i])
          .append("\",\"annotations\":[]}");
    }
    return ("{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":3,\"status\":\"completed\",\"error\":null,"
        + "\"incomplete_details\":null,\"model\":\"gpt-4o\",\"output\":[{\"id\":\"rs_1\",\"type\":\"reasoning\","
        + "\"summary\":[]},{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"content\":[" + parts
        + "],\"role\":\"assistant\"}],\"usage\":{\"input_tokens\":5,\"output_tokens\":6,\"total_tokens\":11}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aResponsesOutputTextIsMasked() throws Exception {
    GuardedAnswer a = GUARD.guard(response("my card is " + CARD, "and that is all"));
    JsonNode r = tree(a);
    assertThat(r.path("status").asText()).isEqualTo("completed");
    JsonNode content = r.path("output").get(1).path("content");
    assertThat(content.get(0).path("text").asText()).isEqualTo("my card is [CREDIT_CARD]");
    assertThat(content.get(1).path("text").asText()).isEqualTo("and that is all");
  }

  @Test
  void aBlockedResponseIsIncompleteForTheContentFilterWithItsTextGone() throws Exception {
    GuardedAnswer a = GUARD.guard(response("harmless start", "then forbidden words"));
    assertThat(a.action()).isEqualTo(GuardAction.BLOCK);
    JsonNode r = tree(a);
    assertThat(r.path("status").asText()).isEqualTo("incomplete");
    assertThat(r.path("incomplete_details").toString()).isEqualTo("{\"reason\":\"content_filter\"}");
    JsonNode message = r.path("output").get(1);
    assertThat(message.path("status").asText()).isEqualTo("incomplete");
    assertThat(message.path("content")).allSatisfy(p -> assertThat(p.path("text").asText()).isEmpty());
    assertThat(new String(a.body(), StandardCharsets.UTF_8)).doesNotContain("harmless").doesNotContain("forbidden");
    assertThat(r.path("usage").path("total_tokens").asInt()).isEqualTo(11);
  }

  @Test
  void whatIsNotAnAnswerPassesUntouched() {
    for (String body : new String[] {"not json", "[1,2]", "{\"error\":{\"message\":\"forbidden\"}}", "{\"a\":1} x",
        "{\"choices\":[{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"forbidden\"}]}}]}"}) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      GuardedAnswer a = GUARD.guard(bytes);
      assertThat(a.body()).as(body).isSameAs(bytes);
      assertThat(a.findings()).as(body).isEmpty();
    }
  }

  @Test
  void withoutChecksNothingIsEvenRead() {
    byte[] body = "{not even json".getBytes(StandardCharsets.UTF_8);
    GuardedAnswer a = OutputGuard.of(List.<TextCheck>of()).answerGuard().guard(body);
    assertThat(a.body()).isSameAs(body);
    assertThat(a.action()).isEqualTo(GuardAction.ALLOW);
  }
}
