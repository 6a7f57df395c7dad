package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CacheKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode body(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final String BASE =
      "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"Q\"}]}";

  @Test
  void theExactKeyIsCanonicalAndLeavesOutOnlyWhatDoesNotChangeTheAnswer() {
    String k = CacheKeys.exact("c:a", "gpt", body(BASE));
    assertThat(k).hasSize(64);
    assertThat(CacheKeys.exact("c:a", "gpt", body(
        "{\"messages\":[{\"content\":\"S\",\"role\":\"system\"},{\"role\":\"user\",\"content\":\"Q\"}],\"temperature\":0.0,"
            + "\"model\":\"deployment-name\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"user\":\"x\","
            + "\"metadata\":{\"a\":\"b\"}}")))
        .isEqualTo(k);
    assertThat(CacheKeys.exact("c:b", "gpt", body(BASE))).isNotEqualTo(k);
    assertThat(CacheKeys.exact("c:a", "gpt-mini", body(BASE))).isNotEqualTo(k);
    assertThat(CacheKeys.exact("c:a", "gpt", body(BASE.replace("\"temperature\":0", "\"temperature\":0.1")))).isNotEqualTo(k);
    assertThat(CacheKeys.exact("c:a", "gpt", body(BASE.replace("\"Q\"", "\"Q \"")))).isNotEqualTo(k);
    assertThat(CacheKeys.exact("c:a", "gpt", body(BASE.replace("}]}", "}],\"tools\":[]}")))).isNotEqualTo(k);
    // A string and a number, a name and a value, are told apart.
    assertThat(CacheKeys.exact("c:a", "gpt", body("{\"seed\":\"1\"}")))
        .isNotEqualTo(CacheKeys.exact("c:a", "gpt", body("{\"seed\":1}")));
    assertThat(CacheKeys.exact("ab", "c", body("{}"))).isNotEqualTo(CacheKeys.exact("a", "bc", body("{}")));
  }

  @Test
  void temperatureAboveTheCeilingOrNotGivenBypasses() {
    assertThat(CacheKeys.bypassReason(body(BASE), 0)).isEmpty();
    assertThat(CacheKeys.bypassReason(body("{\"messages\":[]}"), 0)).hasValueSatisfying(r -> assertThat(r).contains("not given"));
    assertThat(CacheKeys.bypassReason(body("{\"temperature\":0.3}"), 0.2)).isPresent();
    assertThat(CacheKeys.bypassReason(body("{\"temperature\":0.2}"), 0.2)).isEmpty();
  }

  @Test
  void theSemanticPartitionHoldsEverythingButTheLastQuestion() {
    CacheKeys.SemanticKey s = CacheKeys.semantic("c:a", "gpt", body(BASE), false, 3, "minilm");
    assertThat(s.skipped()).isFalse();
    assertThat(s.question()).isEqualTo("Q");
    assertThat(CacheKeys.semantic("c:a", "gpt", body(BASE.replace("\"Q\"", "\"Another Q\"")), false, 3, "minilm").partition())
        .isEqualTo(s.partition());
    assertThat(CacheKeys.semantic("c:b", "gpt", body(BASE), false, 3, "minilm").partition()).isNotEqualTo(s.partition());
    assertThat(CacheKeys.semantic("c:a", "gpt", body(BASE), false, 3, "other").partition()).isNotEqualTo(s.partition());
    assertThat(CacheKeys.semantic("c:a", "gpt", body(BASE.replace("\"S\"", "\"T\"")), false, 3, "minilm").partition())
        .isNotEqualTo(s.partition());
    // Ignoring system messages: another system prompt, the same partition.
    assertThat(CacheKeys.semantic("c:a", "gpt", body(BASE.replace("\"S\"", "\"T\"")), true, 3, "minilm").partition())
        .isEqualTo(CacheKeys.semantic("c:a", "gpt", body(BASE), true, 3, "minilm").partition());
    assertThat(CacheKeys.semantic("c:a", "gpt", body(BASE.replace("\"temperature\":0", "\"temperature\":0,\"max_tokens\":5")),
        false, 3, "minilm").partition()).isNotEqualTo(s.partition());
  }

  @Test
  void aFollowUpIsPartitionedByTheTurnsBeforeIt() {
    String followUp = "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about Paris\"},"
        + "{\"role\":\"assistant\",\"content\":\"Paris is...\"},{\"role\":\"user\",\"content\":\"And its population?\"}]}";
    String standalone = "{\"messages\":[{\"role\":\"user\",\"content\":\"And its population?\"}]}";
    assertThat(CacheKeys.semantic("t", "m", body(followUp), false, 3, "e").partition())
        .isNotEqualTo(CacheKeys.semantic("t", "m", body(standalone), false, 3, "e").partition());
  }

  @Test
  void unsafeRequestsAreNotLookedUpSemantically() {
    assertThat(CacheKeys.semantic("t", "m", body(BASE.replace("}]}", "}],\"n\":2}")), false, 3, "e").skipReason()).isEqualTo("n > 1");
    assertThat(CacheKeys.semantic("t", "m", body(BASE.replace("}]}", "}],\"tools\":[{\"type\":\"function\"}]}")), false, 3, "e")
        .skipReason()).isEqualTo("tools");
    assertThat(CacheKeys.semantic("t", "m", body(BASE), false, 1, "e").skipReason()).contains("more than 1");
    assertThat(CacheKeys.semantic("t", "m", body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"x\"}}]}]}"), false, 3, "e").skipReason()).isEqualTo("last message not text");
    assertThat(CacheKeys.semantic("t", "m", body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Hi\"},{\"type\":\"text\",\"text\":\"there\"}]}]}"), false, 3, "e").question()).isEqualTo("Hi\nthere");
    assertThat(CacheKeys.semantic("t", "m", body("{\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}"), false, 3, "e")
        .skipped()).isTrue();
  }
}
