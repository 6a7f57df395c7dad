package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The answers of the simulated Azure AI Content Safety, in its shapes: {@code text:analyze} → {@code {blocklistsMatch,
 * categoriesAnalysis: [{category, severity}]}} and {@code text:shieldPrompt} → {@code {userPromptAnalysis:
 * {attackDetected}, documentsAnalysis: [{attackDetected}]}}. Nothing is really classified: a text is rated by the
 * {@link ContentFilterConfig}'s trigger terms it contains (whatever their stage) and the {@code x-sim-content-filter}
 * harm directives; an attack is a jailbreak term (or, for the user prompt, the {@code prompt=jailbreak} directive).
 * Blocklist items match as case-insensitive substrings; an item's id is a name-based UUID of its list and text, so it
 * is stable across runs. Pure.
 */
final class ContentSafetyAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContentSafetyAnswers() {}

  /** The {@code text:analyze} answer; the blocklists named must exist in {@code blocklists}. */
  static ObjectNode analyze(AnalyzeTextRequest request, ContentFilterConfig terms, Map<String, List<String>> blocklists,
      List<ContentFilterHeader.Directive> directives) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode matches = root.putArray("blocklistsMatch");
    String lower = request.text().toLowerCase(Locale.ROOT);
    for (String name : request.blocklistNames()) {
      for (String item : blocklists.get(name)) {
        if (lower.contains(item.toLowerCase(Locale.ROOT))) {
          matches.addObject().put("blocklistName", name).put("blocklistItemId", itemId(name, item))
              .put("blocklistItemText", item);
        }
      }
    }
    ArrayNode categories = root.putArray("categoriesAnalysis");
    if (request.haltOnBlocklistHit() && !matches.isEmpty()) {
      return root;
    }
    Map<FilterCategory, FilterSeverity> severities = FilterVerdict.rate(terms, request.text(), directives);
    for (FilterCategory category : request.categories()) {
      FilterSeverity severity = severities.getOrDefault(category, FilterSeverity.SAFE);
      categories.addObject().put("category", category.contentSafetyName())
          .put("severity", request.eightLevels() ? severity.level() : severity.fourLevel());
    }
    return root;
  }

  /** Whether an analyze answer flags its text: a blocklist match or a severity above 0. */
  static boolean flagged(JsonNode analysis) {
    if (!analysis.path("blocklistsMatch").isEmpty()) {
      return true;
    }
    for (JsonNode category : analysis.path("categoriesAnalysis")) {
      if (category.path("severity").asInt() > 0) {
        return true;
      }
    }
    return false;
  }

  /** The {@code text:shieldPrompt} answer; {@code userPromptAnalysis} only when the request has a user prompt. */
  static ObjectNode shield(ShieldPromptRequest request, ContentFilterConfig terms,
      List<ContentFilterHeader.Directive> directives) {
    ObjectNode root = JSON.createObjectNode();
    if (request.userPrompt().isPresent()) {
      boolean attack = FilterVerdict.attack(terms, request.userPrompt().get())
          || directives.stream().anyMatch(d -> !d.category().rated());
      root.putObject("userPromptAnalysis").put("attackDetected", attack);
    }
    ArrayNode documents = root.putArray("documentsAnalysis");
    for (String document : request.documents()) {
      documents.addObject().put("attackDetected", FilterVerdict.attack(terms, document));
    }
    return root;
  }

  /** Whether a shield answer found an attack anywhere. */
  static boolean attackDetected(JsonNode shield) {
    if (shield.path("userPromptAnalysis").path("attackDetected").asBoolean()) {
      return true;
    }
    for (JsonNode document : shield.path("documentsAnalysis")) {
      if (document.path("attackDetected").asBoolean()) {
        return true;
      }
    }
    return false;
  }

  /** Content Safety's error body, {@code {"error":{"code":code,"message":message}}}. */
  static String error(String code, String message) {
    return AzureErrors.body(code, message);
  }

  private static String itemId(String list, String item) {
    return UUID.nameUUIDFromBytes((list + "\n" + item).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
