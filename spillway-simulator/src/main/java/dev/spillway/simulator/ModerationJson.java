package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code moderations} answer, OpenAI's shape: {@code {"id":"modr-..","model":..,"results":[..]}}
 * with, per input, {@code flagged}, every omni-moderation category in {@code categories}, {@code
 * category_scores} and {@code category_applied_input_types}.
 *
 * <p>Nothing is really classified: every input scores low (below 0.001, drawn from the seed and its
 * text) and passes, unless its text holds the marker {@value #MARKER} (any case), which flags {@code
 * violence} with a score of {@value #FLAGGED_SCORE}, or {@code simflag:<category>} (e.g. {@code
 * simflag:self-harm/intent}), which flags that category instead. Pure.
 */
final class ModerationJson {
  static final String MARKER = "simflag";
  static final double FLAGGED_SCORE = 0.98;
  static final List<String> CATEGORIES = List.of("harassment", "harassment/threatening", "hate", "hate/threatening",
      "illicit", "illicit/violent", "self-harm", "self-harm/instructions", "self-harm/intent", "sexual",
      "sexual/minors", "violence", "violence/graphic");
  /** The categories OpenAI also applies to images; the others look at text only. */
  static final Set<String> IMAGE_CATEGORIES = Set.of("self-harm", "self-harm/instructions", "self-harm/intent",
      "sexual", "violence", "violence/graphic");
  private static final Pattern FLAG = Pattern.compile(MARKER + "(?::([a-z/-]+))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModerationJson() {}

  /** The answer for {@code request}, its scores drawn from {@code seed} and each input's text. */
  static ObjectNode answer(String id, String model, ModerationRequest request, long seed) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("model", model);
    ArrayNode results = root.putArray("results");
    for (ModerationRequest.Input input : request.inputs()) {
      results.add(result(input, seed));
    }
    return root;
  }

  /** The category {@code text} asks to flag, or null. */
  static String flaggedCategory(String text) {
    Matcher m = FLAG.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null && CATEGORIES.contains(m.group(1)) ? m.group(1) : "violence";
  }

  private static ObjectNode result(ModerationRequest.Input input, long seed) {
    String flagged = flaggedCategory(input.text());
    SplittableRandom random = new SplittableRandom(RequestSeed.of(seed, "moderation:" + input.text()));
    ObjectNode result = JSON.createObjectNode();
    result.put("flagged", flagged != null);
    ObjectNode categories = result.putObject("categories");
    ObjectNode scores = result.putObject("category_scores");
    ObjectNode applied = result.putObject("category_applied_input_types");
    for (String category : CATEGORIES) {
      categories.put(category, category.equals(flagged));
      scores.put(category, category.equals(flagged) ? FLAGGED_SCORE : 1e-6 + random.nextDouble() * 9.99e-4);
      ArrayNode types = applied.putArray(category);
      if (!input.text().isEmpty() || input.images() == 0) {
        types.add("text");
      }
      if (input.images() > 0 && IMAGE_CATEGORIES.contains(category)) {
        types.add("image");
      }
    }
    return result;
  }
}
