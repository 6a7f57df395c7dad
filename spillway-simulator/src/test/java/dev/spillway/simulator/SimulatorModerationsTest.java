package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Moderations over real HTTP, on the OpenAI URL shapes only. */
class SimulatorModerationsTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.moderation("omni-moderation-latest"),
        DeploymentConfig.payg("gpt-4o", 0, 0)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void aHarmlessInputPassesWithEveryCategory() {
    DeploymentStats before = sim.stats().deployment("omni-moderation-latest");
    for (String path : new String[] {"/v1/moderations", "/openai/v1/moderations"}) {
      HttpResponse<String> r = harness.post(sim, path,
          "{\"model\":\"omni-moderation-latest\",\"input\":\"I want to walk along the river.\"}");

      assertThat(r.statusCode()).as(path).isEqualTo(200);
      JsonNode json = SimHarness.json(r);
      assertThat(json.path("id").asText()).startsWith("modr-");
      assertThat(json.path("model").asText()).isEqualTo("omni-moderation-latest");
      assertThat(json.path("results")).hasSize(1);
      JsonNode result = json.path("results").get(0);
      assertThat(result.path("flagged").asBoolean()).isFalse();
      for (String category : ModerationJson.CATEGORIES) {
        assertThat(result.path("categories").path(category).isBoolean()).as(category).isTrue();
        assertThat(result.path("categories").path(category).asBoolean()).isFalse();
        assertThat(result.path("category_scores").path(category).asDouble()).isBetween(0.0, 0.001);
        assertThat(result.path("category_applied_input_types").path(category)).singleElement()
            .extracting(JsonNode::asText).isEqualTo("text");
      }
      assertThat(result.path("categories").size()).isEqualTo(13);
    }
    assertThat(sim.stats().deployment("omni-moderation-latest").minus(before).promptTokens())
        .isEqualTo(2L * TokenCounter.count("I want to walk along the river."));
  }

  @Test
  void theMarkerFlagsAnInputAndCanNameTheCategory() {
    JsonNode json = SimHarness.json(harness.post(sim, "/v1/moderations",
        "{\"input\":[\"fine text\",\"this is SimFlag material\",\"simflag:self-harm/intent here\"]}"));

    assertThat(json.path("model").asText()).as("OpenAI's default model").isEqualTo("omni-moderation-latest");
    JsonNode results = json.path("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).path("flagged").asBoolean()).isFalse();
    assertThat(results.get(1).path("flagged").asBoolean()).isTrue();
    assertThat(results.get(1).path("categories").path("violence").asBoolean()).isTrue();
    assertThat(results.get(1).path("category_scores").path("violence").asDouble()).isEqualTo(ModerationJson.FLAGGED_SCORE);
    assertThat(results.get(1).path("categories").path("hate").asBoolean()).isFalse();
    assertThat(results.get(2).path("categories").path("self-harm/intent").asBoolean()).isTrue();
    assertThat(results.get(2).path("categories").path("violence").asBoolean()).isFalse();
  }

  @Test
  void multimodalPartsAreOneInputAndImagesApplyToTheirCategories() {
    DeploymentStats before = sim.stats().deployment("omni-moderation-latest");
    JsonNode json = SimHarness.json(harness.post(sim, "/openai/v1/moderations", "{\"model\":\"omni-moderation-latest\","
        + "\"input\":[{\"type\":\"text\",\"text\":\"a photo\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}"));

    assertThat(json.path("results")).hasSize(1);
    JsonNode applied = json.path("results").get(0).path("category_applied_input_types");
    assertThat(applied.path("violence")).extracting(JsonNode::asText).containsExactly("text", "image");
    assertThat(applied.path("hate")).extracting(JsonNode::asText).containsExactly("text");
    assertThat(sim.stats().deployment("omni-moderation-latest").minus(before).promptTokens())
        .isEqualTo(TokenCounter.count("a photo") + ModerationRequest.TOKENS_PER_IMAGE);
  }

  @Test
  void sameInputSameScores() {
    String body = "{\"input\":\"the same words\"}";
    JsonNode first = SimHarness.json(harness.post(sim, "/v1/moderations", body));
    JsonNode second = SimHarness.json(harness.post(sim, "/v1/moderations", body));
    assertThat(second.path("results")).isEqualTo(first.path("results"));
    assertThat(second.path("id")).isNotEqualTo(first.path("id"));
  }

  @Test
  void azureClassicHasNoModerationsAndBadRequestsAreRefused() {
    assertThat(harness.post(sim, "/openai/deployments/omni-moderation-latest/moderations?api-version=2024-10-21",
        "{\"input\":\"x\"}").statusCode()).isEqualTo(404);
    HttpResponse<String> noInput = harness.post(sim, "/v1/moderations", "{\"model\":\"omni-moderation-latest\"}");
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(noInput).path("error").path("param").asText()).isEqualTo("input");
    assertThat(harness.post(sim, "/v1/moderations", "{\"input\":[]}").statusCode()).isEqualTo(400);
    assertThat(harness.post(sim, "/v1/moderations", "{\"input\":[{\"type\":\"audio\"}]}").statusCode()).isEqualTo(400);
    HttpResponse<String> chat = harness.post(sim, "/v1/moderations", "{\"model\":\"gpt-4o\",\"input\":\"x\"}");
    assertThat(SimHarness.json(chat).path("error").path("code").asText()).isEqualTo("OperationNotSupported");
    assertThat(harness.get(sim, "/v1/moderations").statusCode()).isEqualTo(405);
  }
}
