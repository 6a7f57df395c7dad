package dev.spillway.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * What one {@code image_url} content part costs in prompt tokens, by OpenAI's documented vision
 * rule (platform.openai.com/docs/guides/vision, "Calculating costs"):
 *
 * <ul>
 *   <li>{@code detail: low}: the base cost (85 tokens), whatever the size.
 *   <li>{@code detail: high} (and {@code auto} or absent, which we count as high: it is what the
 *       API picks for any image worth sending): scale down to fit 2048×2048, then down so the
 *       shortest side is 768 px (never up: a 128×64 image costs one tile, as measured on the API),
 *       then 170 tokens per 512-px tile plus the 85 base.
 * </ul>
 *
 * <p>The size is read from the header of a {@code data:} URL (PNG, JPEG, GIF, WebP). For an
 * {@code http(s)} URL, or bytes we cannot read, the size is unknown and we assume 1024×1024, which
 * costs the same four tiles (765 tokens) as any square or 4:3 image of 768 px or more — the common
 * photo and screenshot shapes. A 16:9 picture costs 1105 and the worst case (1:2.67) 1445, so
 * unknown images may be under-counted by up to half; fetching them at admission is not an option.
 *
 * <p>{@code gpt-4o-mini} bills images at 2833 base and 5667 per tile (its low-detail image reads as
 * 2833 prompt tokens in the API's usage), so it gets those rates. Patch-priced models ({@code
 * gpt-4.1-mini}, {@code gpt-4.1-nano}, {@code o4-mini}) are counted with the tile rule, an
 * approximation.
 */
final class ImageTokens {
  static final int TILE_PX = 512;
  static final int FIT_PX = 2048;
  static final int SHORT_SIDE_PX = 768;
  static final ImageDimensions.Size UNKNOWN_SIZE_ASSUMED = new ImageDimensions.Size(1024, 1024);

  record Rates(int baseTokens, int tokensPerTile) {
    static final Rates STANDARD = new Rates(85, 170);
    static final Rates GPT_4O_MINI = new Rates(2833, 5667);
  }

  private ImageTokens() {}

  static Rates ratesFor(String model) {
    if (model != null) {
      String m = model.toLowerCase(Locale.ROOT);
      int slash = m.lastIndexOf('/');
      if (m.startsWith("gpt-4o-mini", slash + 1)) {
        return Rates.GPT_4O_MINI;
      }
    }
    return Rates.STANDARD;
  }

  /**
   * Tokens for the value of an {@code image_url} part: an object {@code {url, detail}} or, as some
   * clients send it, the URL string alone.
   */
  static long forImageUrl(JsonNode imageUrl, Rates rates) {
    String url = null;
    String detail = "auto";
    if (imageUrl != null && imageUrl.isTextual()) {
      url = imageUrl.textValue();
    } else if (imageUrl != null && imageUrl.isObject()) {
      JsonNode u = imageUrl.get("url");
      url = u != null && u.isTextual() ? u.textValue() : null;
      JsonNode d = imageUrl.get("detail");
      detail = d != null && d.isTextual() ? d.textValue() : "auto";
    }
    if ("low".equalsIgnoreCase(detail)) {
      return rates.baseTokens();
    }
    Optional<ImageDimensions.Size> size = ImageDimensions.fromDataUrl(url);
    return highDetail(size.orElse(UNKNOWN_SIZE_ASSUMED), rates);
  }

  /** The high-detail cost of an image of the given size. */
  static long highDetail(ImageDimensions.Size size, Rates rates) {
    return rates.baseTokens() + (long) rates.tokensPerTile() * tiles(size.widthPx(), size.heightPx());
  }

  /** 512-px tiles after fitting into 2048×2048 and bringing the short side down to 768. */
  static long tiles(long widthPx, long heightPx) {
    double w = widthPx;
    double h = heightPx;
    double longSide = Math.max(w, h);
    if (longSide > FIT_PX) {
      w = Math.round(w * FIT_PX / longSide);
      h = Math.round(h * FIT_PX / longSide);
    }
    double shortSide = Math.min(w, h);
    if (shortSide > SHORT_SIDE_PX) {
      w = Math.round(w * SHORT_SIDE_PX / shortSide);
      h = Math.round(h * SHORT_SIDE_PX / shortSide);
    }
    return (long) (Math.ceil(Math.max(w, 1) / TILE_PX) * Math.ceil(Math.max(h, 1) / TILE_PX));
  }
}
