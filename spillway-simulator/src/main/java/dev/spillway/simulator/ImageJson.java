package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The images API's answer: {@code {"created":..,"data":[..]}} with, per image, {@code b64_json} (a
 * {@link PngImage}) or a {@code url} under {@value #URL_PREFIX} (which resolves nowhere), plus a
 * {@code revised_prompt} for dall-e-3 generations and, for gpt-image models, {@code usage}: {@code
 * {"total_tokens","input_tokens","output_tokens","input_tokens_details":{"text_tokens","image_tokens"}}}.
 * Pure.
 */
final class ImageJson {
  static final String URL_PREFIX = "https://sim.invalid/img/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageJson() {}

  /**
   * @param random draws the pictures (seeded from the request, so that the same request gets the same images)
   * @param ids a fresh unique id per call, for urls
   * @param revisePrompt whether to add {@code revised_prompt} (dall-e-3 generations)
   * @param withUsage whether to add {@code usage} (gpt-image models)
   */
  static ObjectNode answer(ImageRequest request, long created, SplittableRandom random, Supplier<String> ids,
      boolean revisePrompt, boolean withUsage) {
    ObjectNode root = JSON.createObjectNode();
    root.put("created", created);
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < request.n(); i++) {
      ObjectNode image = data.addObject();
      byte[] png = PngImage.checkerboard(random);
      if (request.base64()) {
        image.put("b64_json", Base64.getEncoder().encodeToString(png));
      } else {
        image.put("url", URL_PREFIX + ids.get() + ".png");
      }
      if (revisePrompt) {
        image.put("revised_prompt", "A detailed, well-lit rendering of: " + request.prompt());
      }
    }
    if (withUsage) {
      ObjectNode usage = root.putObject("usage");
      usage.put("total_tokens", request.inputTokens() + request.outputTokens());
      usage.put("input_tokens", request.inputTokens());
      usage.put("output_tokens", request.outputTokens());
      usage.putObject("input_tokens_details")
          .put("text_tokens", request.textTokens())
          .put("image_tokens", request.imageTokens());
    }
    return root;
  }
}
