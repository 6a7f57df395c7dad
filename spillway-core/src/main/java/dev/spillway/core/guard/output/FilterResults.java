package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;
import java.util.Set;

/**
 * A choice's {@code content_filter_results} as Azure OpenAI writes them for a filtered completion, made from the
 * guard's BLOCK findings, so that a client which already handles Azure's filter handles the guard's too:
 *
 * <ul>
 *   <li>Azure's harm categories ({@code hate}, {@code sexual}, {@code violence}, {@code self_harm}) as {@code
 *       {filtered: true, severity}}, the severity named by Azure's bands of the 0-7 scale (0-1 {@code safe}, 2-3
 *       {@code low}, 4-5 {@code medium}, 6-7 {@code high}), the highest finding's;
 *   <li>{@code prompt_injection} (and {@code jailbreak}) as {@code jailbreak {filtered: true, detected: true}};
 *   <li>{@code protected_material} as {@code protected_material_text {filtered: true, detected: true}};
 *   <li>everything else (blocklists, patterns, PII) as {@code custom_blocklists {filtered: true, details: [{filtered:
 *       true, id: <rule id>}]}}, one detail per rule.
 * </ul>
 *
 * Only rule ids and categories go in, never the text.
 */
public final class FilterResults {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> HARMS = Set.of("hate", "sexual", "violence", "self_harm");
  private static final String[] BANDS = {"safe", "low", "medium", "high"};

  private FilterResults() {}

  /** New results for the BLOCK findings among {@code findings}. */
  public static ObjectNode of(List<GuardFinding> findings) {
    return into(NODES.objectNode(), findings);
  }

  /**
   * Writes the BLOCK findings among {@code findings} into {@code results} (an upstream's own results, say), replacing
   * the categories they name and keeping the rest.
   */
  static ObjectNode into(ObjectNode results, List<GuardFinding> findings) {
    for (GuardFinding f : findings) {
      if (f.action() != GuardAction.BLOCK) {
        continue;
      }
      String category = f.category();
      if (HARMS.contains(category)) {
        harm(results, category, f.severity());
      } else if (category.equals("prompt_injection") || category.equals("jailbreak")) {
        results.putObject("jailbreak").put("filtered", true).put("detected", true);
      } else if (category.equals("protected_material")) {
        results.putObject("protected_material_text").put("filtered", true).put("detected", true);
      } else {
        blocklist(results, f.ruleId());
      }
    }
    return results;
  }

  /** Azure OpenAI's name for the band of a 0-7 severity. */
  static String severity(int level) {
    return BANDS[Math.min(Math.max(level, 0), 7) / 2];
  }

  private static void harm(ObjectNode results, String category, int level) {
    JsonNode earlier = results.get(category);
    if (earlier != null && earlier.path("filtered").asBoolean() && rank(earlier.path("severity").asText()) > level) {
      return;
    }
    results.putObject(category).put("filtered", true).put("severity", severity(level));
  }

  private static int rank(String band) {
    for (int i = 0; i < BANDS.length; i++) {
      if (BANDS[i].equals(band)) {
        return 2 * i + 1;
      }
    }
    return -1;
  }

  private static void blocklist(ObjectNode results, String ruleId) {
    JsonNode earlier = results.get("custom_blocklists");
    ObjectNode lists = earlier instanceof ObjectNode o && o.path("details").isArray() ? o
        : results.putObject("custom_blocklists");
    lists.put("filtered", true);
    ArrayNode details = (ArrayNode) (lists.has("details") ? lists.get("details") : lists.putArray("details"));
    for (JsonNode d : details) {
      if (ruleId.equals(d.path("id").asText(null))) {
        ((ObjectNode) d).put("filtered", true);
        return;
      }
    }
    details.addObject().put("filtered", true).put("id", ruleId);
  }
}
