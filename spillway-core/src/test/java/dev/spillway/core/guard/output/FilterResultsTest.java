package dev.spillway.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterResultsTest {
  private static GuardFinding block(String category, int severity, String rule) {
    return new GuardFinding(GuardAction.BLOCK, category, severity, rule, 0, 3);
  }

  @Test
  void harmCategoriesCarryAzuresSeverityBands() {
    ObjectNode r = FilterResults.of(List.of(block("violence", 5, "a"), block("hate", 1, "b"),
        block("sexual", 7, "c"), block("self_harm", 2, "d")));
    assertThat(r.toString()).isEqualTo("{\"violence\":{\"filtered\":true,\"severity\":\"medium\"},"
        + "\"hate\":{\"filtered\":true,\"severity\":\"safe\"},\"sexual\":{\"filtered\":true,\"severity\":\"high\"},"
        + "\"self_harm\":{\"filtered\":true,\"severity\":\"low\"}}");
    assertThat(FilterResults.severity(0)).isEqualTo("safe");
    assertThat(FilterResults.severity(3)).isEqualTo("low");
    assertThat(FilterResults.severity(4)).isEqualTo("medium");
    assertThat(FilterResults.severity(6)).isEqualTo("high");
  }

  @Test
  void theHighestSeverityOfACategoryWins() {
    assertThat(FilterResults.of(List.of(block("hate", 6, "a"), block("hate", 2, "b"))).path("hate")
        .path("severity").asText()).isEqualTo("high");
    assertThat(FilterResults.of(List.of(block("hate", 2, "a"), block("hate", 6, "b"))).path("hate")
        .path("severity").asText()).isEqualTo("high");
  }

  @Test
  void injectionIsAJailbreakAndEverythingElseACustomBlocklistPerRule() {
    ObjectNode r = FilterResults.of(List.of(block("prompt_injection", 6, "inj"), block("blocklist", 4, "profanity"),
        block("pii.credit_card", 5, "card"), block("blocklist", 4, "profanity"),
        new GuardFinding(GuardAction.MASK, "pii.email", 3, "email", 0, 1)));
    assertThat(r.toString()).isEqualTo("{\"jailbreak\":{\"filtered\":true,\"detected\":true},"
        + "\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"filtered\":true,\"id\":\"profanity\"},"
        + "{\"filtered\":true,\"id\":\"card\"}]}}");
  }

  @Test
  void mergesIntoAzuresOwnResultsKeepingWhatItDoesNotName() throws Exception {
    ObjectNode azure = (ObjectNode) new ObjectMapper().readTree("{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"custom_blocklists\":{\"filtered\":false,\"details\":[{\"filtered\":false,\"id\":\"theirs\"}]}}");
    FilterResults.into(azure, List.of(block("violence", 4, "v"), block("blocklist", 4, "ours")));
    assertThat(azure.toString()).isEqualTo("{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"violence\":{\"filtered\":true,\"severity\":\"medium\"},"
        + "\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"filtered\":false,\"id\":\"theirs\"},"
        + "{\"filtered\":true,\"id\":\"ours\"}]}}");
  }
}
