package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code tokens/fixture.jsonl}: requests with the {@code prompt_tokens} the API reported or
 * the official rules give, computed outside Spillway (see {@code generate-fixture.mjs}: OpenAI's
 * tiktoken, not jtokkit, and a separate implementation of the rules).
 */
class TokenEstimatorFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String id, String model, Operation operation, JsonNode body, long expected, String source, boolean approximate) {}

  private static List<Case> fixture() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        TokenEstimatorFixtureTest.class.getResourceAsStream("/tokens/fixture.jsonl"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode c = JSON.readTree(line);
        cases.add(new Case(c.get("id").asText(), c.get("model").asText(), Operation.valueOf(c.get("operation").asText()),
            c.get("body"), c.get("prompt_tokens").asLong(), c.get("source").asText(), c.path("approximate").asBoolean(false)));
      }
    }
    return cases;
  }

  @Test
  void fixtureIsLargeAndEveryCaseNamesItsSource() throws IOException {
    List<Case> cases = fixture();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    assertThat(cases).allSatisfy(c -> assertThat(c.source()).isNotBlank());
    assertThat(cases.stream().map(Case::id).distinct().count()).isEqualTo(cases.size());
    assertThat(cases.stream().filter(Case::approximate).count()).isLessThan(cases.size() / 10);
  }

  @Test
  void matchesAtLeast99PercentOfExactCasesExactly() throws IOException {
    TokenEstimator estimator = TokenEstimator.byModelFamily();
    int exact = 0;
    int exactHits = 0;
    int approximate = 0;
    int approximateHits = 0;
    List<String> misses = new ArrayList<>();
    for (Case c : fixture()) {
      long actual = estimator.promptTokens(c.operation(), c.body(), c.model());
      boolean hit = actual == c.expected();
      if (c.approximate()) {
        approximate++;
        approximateHits += hit ? 1 : 0;
        assertThat(actual).as("approximate case %s", c.id()).isCloseTo(c.expected(), withPercentage(10));
      } else {
        exact++;
        exactHits += hit ? 1 : 0;
      }
      if (!hit) {
        misses.add(c.id() + (c.approximate() ? " (approximate)" : "") + ": expected " + c.expected() + ", estimated " + actual
            + " [" + c.source() + "]");
      }
    }
    System.out.printf("token fixture: %d/%d exact cases matched (%.2f %%), %d/%d approximate cases matched%n",
        exactHits, exact, 100.0 * exactHits / exact, approximateHits, approximate);
    misses.forEach(m -> System.out.println("  miss " + m));
    assertThat(100.0 * exactHits / exact).as("exact match rate, misses: %s", misses).isGreaterThanOrEqualTo(99.0);
  }
}
