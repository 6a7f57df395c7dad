package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.time.ManualTicker;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The images API over real HTTP: generations, edits and variations in every URL shape, usage, admission. */
class SimulatorImagesTest {
  private static final String PROMPT = "A lighthouse on a cliff at dawn";
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.images("gpt-image-1"), DeploymentConfig.images("dall-e-3"),
        DeploymentConfig.images("dall-e-2"), DeploymentConfig.payg("gpt-4o", 0, 0)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void gptImageGenerationAnswersValidPngsWithTokenUsageInEveryUrlShape() {
    DeploymentStats before = sim.stats().deployment("gpt-image-1");
    String body = "{\"prompt\":\"" + PROMPT + "\",\"n\":2,\"size\":\"1536x1024\",\"quality\":\"high\"}";
    for (String path : new String[] {"/v1/images/generations", "/openai/v1/images/generations",
        "/openai/deployments/gpt-image-1/images/generations?api-version=2025-04-01-preview"}) {
      HttpResponse<String> r = harness.post(sim, path,
          path.startsWith("/openai/deployments") ? body : body.replace("{", "{\"model\":\"gpt-image-1\","));

      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode json = SimHarness.json(r);
      assertThat(json.path("created").asLong()).isPositive();
      assertThat(json.path("data")).hasSize(2);
      for (JsonNode image : json.path("data")) {
        BufferedImage png = png(image.path("b64_json").asText());
        assertThat(png.getWidth()).isEqualTo(PngImage.SIDE);
        assertThat(image.has("url")).isFalse();
      }
      int text = TokenCounter.count(PROMPT);
      JsonNode usage = json.path("usage");
      assertThat(usage.path("input_tokens").asInt()).isEqualTo(text);
      assertThat(usage.path("input_tokens_details").path("text_tokens").asInt()).isEqualTo(text);
      assertThat(usage.path("input_tokens_details").path("image_tokens").asInt()).isZero();
      assertThat(usage.path("output_tokens").asInt()).isEqualTo(2 * 6240); // high, 1.5 × the 1024² area
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(text + 2 * 6240);
    }
    assertThat(sim.stats().deployment("gpt-image-1").minus(before).promptTokens()).isEqualTo(3L * TokenCounter.count(PROMPT));
  }

  @Test
  void dallEAnswersUrlsByDefaultWithoutUsageAndDallE3RevisesThePrompt() {
    JsonNode three = SimHarness.json(harness.post(sim, "/v1/images/generations",
        "{\"model\":\"dall-e-3\",\"prompt\":\"" + PROMPT + "\",\"quality\":\"hd\"}"));
    assertThat(three.path("data")).hasSize(1);
    assertThat(three.path("data").get(0).path("url").asText()).startsWith(ImageJson.URL_PREFIX).endsWith(".png");
    assertThat(three.path("data").get(0).path("revised_prompt").asText()).contains(PROMPT);
    assertThat(three.has("usage")).isFalse();

    JsonNode two = SimHarness.json(harness.post(sim, "/v1/images/generations",
        "{\"model\":\"dall-e-2\",\"prompt\":\"" + PROMPT + "\",\"response_format\":\"b64_json\",\"size\":\"256x256\"}"));
    assertThat(png(two.path("data").get(0).path("b64_json").asText()).getHeight()).isEqualTo(PngImage.SIDE);
    assertThat(two.path("data").get(0).has("revised_prompt")).isFalse();
    assertThat(two.has("usage")).isFalse();
  }

  @Test
  void editsTakeAMultipartFormWithSeveralImagesAndAMask() {
    byte[] upload = Base64.getDecoder().decode(
        SimHarness.json(harness.post(sim, "/v1/images/generations",
            "{\"model\":\"gpt-image-1\",\"prompt\":\"x\"}")).path("data").get(0).path("b64_json").asText());
    MultipartBody form = new MultipartBody().field("model", "gpt-image-1").field("prompt", PROMPT).field("n", "3")
        .file("image[]", "a.png", "image/png", upload)
        .file("image[]", "b.png", "image/png", upload)
        .file("mask", "mask.png", "image/png", upload);

    for (String path : new String[] {"/v1/images/edits", "/openai/v1/images/edits"}) {
      HttpResponse<String> r = form.post(harness, sim, path);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      JsonNode json = SimHarness.json(r);
      assertThat(json.path("data")).hasSize(3);
      png(json.path("data").get(2).path("b64_json").asText());
      // an 8×8 PNG is one 512-pixel tile: 85 + 170 tokens each; the mask is not counted
      assertThat(json.path("usage").path("input_tokens_details").path("image_tokens").asInt()).isEqualTo(2 * 255);
      assertThat(json.path("usage").path("input_tokens").asInt()).isEqualTo(2 * 255 + TokenCounter.count(PROMPT));
      assertThat(json.path("usage").path("output_tokens").asInt()).isEqualTo(3 * 1056);
    }
    HttpResponse<String> classic = new MultipartBody().field("prompt", PROMPT)
        .file("image", "a.png", "image/png", upload)
        .post(harness, sim, "/openai/deployments/dall-e-2/images/edits?api-version=2024-10-21");
    assertThat(classic.statusCode()).isEqualTo(200);
    assertThat(SimHarness.json(classic).path("data").get(0).path("url").asText()).startsWith(ImageJson.URL_PREFIX);
  }

  @Test
  void variationsTakeOneImageAndNoPrompt() {
    HttpResponse<String> r = new MultipartBody().field("model", "dall-e-2").field("n", "2").field("size", "512x512")
        .field("response_format", "b64_json").file("image", "in.png", "image/png", new byte[] {1, 2, 3})
        .post(harness, sim, "/v1/images/variations");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(SimHarness.json(r).path("data")).hasSize(2);
    png(SimHarness.json(r).path("data").get(1).path("b64_json").asText());

    HttpResponse<String> two = new MultipartBody().field("model", "dall-e-2")
        .file("image", "a.png", "image/png", new byte[] {1}).file("image", "b.png", "image/png", new byte[] {1})
        .post(harness, sim, "/v1/images/variations");
    assertThat(two.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(two).path("error").path("param").asText()).isEqualTo("image");
  }

  @Test
  void refusesWhatARealServiceRefuses() {
    assertBadRequest(harness.post(sim, "/v1/images/generations", "{\"model\":\"dall-e-3\"}"), "prompt");
    assertBadRequest(harness.post(sim, "/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"n\":11}"), "n");
    assertBadRequest(harness.post(sim, "/v1/images/generations",
        "{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"size\":\"1000x1000\"}"), "size");
    assertBadRequest(new MultipartBody().field("model", "gpt-image-1").field("prompt", "p")
        .post(harness, sim, "/v1/images/edits"), "image");
    assertBadRequest(new MultipartBody().field("model", "gpt-image-1").field("prompt", "p").field("image", "not a file")
        .post(harness, sim, "/v1/images/edits"), "image");

    HttpResponse<String> json = harness.post(sim, "/v1/images/edits", "{\"model\":\"gpt-image-1\",\"prompt\":\"p\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(json).path("error").path("message").asText()).contains("multipart/form-data");
    assertThat(SimHarness.json(json).path("error").path("type").asText()).isEqualTo("invalid_request_error");

    HttpResponse<String> get = harness.get(sim, "/v1/images/generations");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST");

    HttpResponse<String> chat = harness.post(sim, "/v1/images/generations", "{\"model\":\"gpt-4o\",\"prompt\":\"p\"}");
    assertThat(chat.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(chat).path("error").path("code").asText()).isEqualTo("OperationNotSupported");
    assertThat(SimHarness.json(chat).path("error").path("message").asText()).contains("imageGeneration");
    HttpResponse<String> images = harness.post(sim, "/v1/chat/completions", SimHarness.chat("dall-e-3"));
    assertThat(SimHarness.json(images).path("error").path("code").asText()).isEqualTo("OperationNotSupported");
  }

  @Test
  void aFullPtuImagesDeploymentAnswers429WithRetryAfterMsAndCanSpillOver() {
    ManualTicker ticker = new ManualTicker();
    // 6,000 tokens a minute, a 10 s burst: a 1,000-token bucket; one medium 1024² image costs 1056 + prompt.
    Simulator ptu = harness.start(SimHarness.fast(
        DeploymentConfig.ptu("gpt-image-1-ptu", 6_000).withKind(DeploymentKind.IMAGES),
        DeploymentConfig.ptu("img-spilling", 6_000).withKind(DeploymentKind.IMAGES).withSpilloverDeployment("img-payg"),
        DeploymentConfig.images("img-payg")), ticker);
    String body = "{\"prompt\":\"" + PROMPT + "\",\"quality\":\"low\"}"; // 272 + prompt tokens
    String url = "/openai/deployments/gpt-image-1-ptu/images/generations?api-version=2025-04-01-preview";
    for (int i = 0; i < 3; i++) {
      assertThat(harness.post(ptu, url, body).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> throttled = harness.post(ptu, url, body);

    assertThat(throttled.statusCode()).isEqualTo(429);
    long cost = 272 + TokenCounter.count(PROMPT);
    long overBucket = 4 * cost - 1000; // tokens over the bucket ÷ 100 tokens/s
    assertThat(throttled.headers().firstValue("retry-after-ms")).hasValue(Long.toString(overBucket * 10));
    assertThat(SimHarness.json(throttled).path("error").path("message").asText())
        .startsWith("Requests to the ImageGenerations_Create Operation");
    assertThat(ptu.stats().deployment("gpt-image-1-ptu").throttled()).isEqualTo(1);

    String spilling = "/openai/deployments/img-spilling/images/generations?api-version=2025-04-01-preview";
    for (int i = 0; i < 3; i++) {
      harness.post(ptu, spilling, body);
    }
    HttpResponse<String> spilled = harness.post(ptu, spilling, body);
    assertThat(spilled.statusCode()).isEqualTo(200);
    assertThat(spilled.headers().firstValue(SimulatorHandler.DEPLOYMENT_NAME_HEADER)).hasValue("img-payg");
    assertThat(spilled.headers().firstValue(SpilloverAdmission.FROM_HEADER)).hasValue("img-spilling");
  }

  @Test
  void imagesKindReadsFromYaml() {
    SimulatorConfig config = SimulatorConfig.parse("deployments:\n"
        + "  - {name: gpt-image-1, kind: images, tier: ptu, capacityTokensPerMinute: 60000}\n"
        + "  - {name: whisper, kind: audio, tier: payg}\n"
        + "  - {name: omni-moderation-latest, kind: moderation, tier: payg}\n");
    assertThat(config.deployments()).extracting(DeploymentConfig::kind)
        .containsExactly(DeploymentKind.IMAGES, DeploymentKind.AUDIO, DeploymentKind.MODERATION);
  }

  private static void assertBadRequest(HttpResponse<String> r, String param) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = SimHarness.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo(param);
    assertThat(error.path("message").asText()).isNotBlank();
  }

  private static BufferedImage png(String base64) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
      assertThat(image).as("a decodable PNG").isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
