package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts the simulator needs from an images request (generation JSON, or an edit's or variation's
 * form) and what it costs.
 *
 * <p>Cost, in tokens, as gpt-image-1 bills it and the simulator books it for every images model
 * (dall-e included, which OpenAI bills per image instead): input is the prompt's {@code o200k_base}
 * tokens plus, per uploaded image (not the mask), {@code 85 + 170} per 512-pixel tile of the image
 * scaled to fit 2048×2048 and then to a shortest side of at most 768 (its PNG header gives its size;
 * anything else counts as 1024×1024); output is, per image, 272 / 1056 / 4160 tokens for low /
 * medium / high quality at 1024×1024, scaled by the asked size's area ({@code standard} counts as
 * medium, {@code hd} as high, {@code auto} as medium).
 *
 * @param prompt the prompt, empty for a variation
 * @param n images to return, 1 to 10
 * @param size the asked size, e.g. {@code 1024x1024}
 * @param quality {@code low}, {@code medium} or {@code high}
 * @param base64 whether to answer {@code b64_json} rather than {@code url}
 * @param textTokens the prompt's tokens
 * @param imageTokens the uploaded images' tokens
 */
record ImageRequest(String prompt, int n, String size, String quality, boolean base64, int textTokens,
    int imageTokens) {
  static final List<String> SIZES =
      List.of("auto", "256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792");
  private static final Map<String, Integer> SQUARE_TOKENS = Map.of("low", 272, "medium", 1056, "high", 4160);
  private static final int MAX_PROMPT_CHARS = 32_000;
  private static final int MAX_IMAGES = 16;

  /**
   * Reads {@code body} for {@code op}; throws {@link InvalidRequestException} for what a real service
   * rejects.
   *
   * @param gptImage whether the model is a gpt-image one, which always answers base64
   */
  static ImageRequest parse(Operation op, JsonNode body, boolean gptImage) {
    String prompt = "";
    if (op != Operation.IMAGE_VARIATIONS) {
      prompt = BodyParams.requiredText(body, "prompt");
      if (prompt.length() > MAX_PROMPT_CHARS) {
        throw new InvalidRequestException("'prompt' is too long: at most " + MAX_PROMPT_CHARS + " characters.", "prompt");
      }
    }
    int imageTokens = 0;
    if (op != Operation.IMAGE_GENERATIONS) {
      List<MultipartForm.FilePart> images = MultipartForm.files(body, "image");
      if (images.isEmpty()) {
        throw new InvalidRequestException("'image' is a required property: upload it as a file part.", "image");
      }
      int max = op == Operation.IMAGE_VARIATIONS ? 1 : MAX_IMAGES;
      if (images.size() > max) {
        throw new InvalidRequestException("At most " + max + " 'image' files are allowed.", "image");
      }
      for (MultipartForm.FilePart image : images) {
        if (image.size() == 0) {
          throw new InvalidRequestException("The uploaded 'image' file is empty.", "image");
        }
        imageTokens += inputImageTokens(image.head());
      }
      MultipartForm.files(body, "mask"); // must be a file when present
    }
    int n = BodyParams.integer(body, "n", 1, 10, 1);
    String size = BodyParams.choice(body, "size", SIZES, "1024x1024");
    String quality = switch (BodyParams.choice(body, "quality",
        List.of("auto", "low", "medium", "high", "standard", "hd"), "auto")) {
      case "low" -> "low";
      case "high", "hd" -> "high";
      default -> "medium";
    };
    String format = BodyParams.choice(body, "response_format", List.of("url", "b64_json"), gptImage ? "b64_json" : "url");
    BodyParams.choice(body, "output_format", List.of("png", "jpeg", "webp"), "png");
    return new ImageRequest(prompt, n, size, quality, gptImage || format.equals("b64_json"),
        TokenCounter.count(prompt), imageTokens);
  }

  /** Input tokens: the prompt's and the uploaded images'. */
  long inputTokens() {
    return (long) textTokens + imageTokens;
  }

  /** Output tokens of all {@link #n} images. */
  long outputTokens() {
    return (long) n * tokensPerImage();
  }

  /** Output tokens of one image of {@link #size} at {@link #quality}. */
  int tokensPerImage() {
    String s = size.equals("auto") ? "1024x1024" : size;
    int x = s.indexOf('x');
    double area = Double.parseDouble(s.substring(0, x)) * Double.parseDouble(s.substring(x + 1));
    return (int) Math.round(SQUARE_TOKENS.get(quality) * area / (1024.0 * 1024.0));
  }

  /** Tokens of one uploaded image, from its PNG header when it has one. */
  static int inputImageTokens(byte[] head) {
    int[] wh = Optional.ofNullable(PngImage.dimensions(head)).orElse(new int[] {1024, 1024});
    double w = wh[0];
    double h = wh[1];
    double fit = Math.min(1, 2048 / Math.max(w, h));
    w *= fit;
    h *= fit;
    double shortest = Math.min(1, 768 / Math.min(w, h));
    w *= shortest;
    h *= shortest;
    long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
    return (int) Math.min(Integer.MAX_VALUE, 85 + 170 * tiles);
  }
}
