package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Azure OpenAI's content filter annotations for one {@link FilterVerdict}: a prompt's {@code content_filter_results}
 * (each harm category {@code {filtered, severity}} and {@code jailbreak {filtered, detected}}) as {@code
 * prompt_filter_results} carry them and as the {@code 400 content_filter} error's {@code innererror} does; and a
 * choice's (the harm categories plus {@code protected_material_code} and {@code protected_material_text}, never
 * detected here). Keys are in Azure's (alphabetical) order. A category is {@code filtered} when it reaches the
 * verdict's threshold; a jailbreak is filtered when detected. Every call returns a new tree. Pure.
 */
final class ContentFilterJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What the {@code content_filter} fault acts out: a prompt refused for medium violence. */
  static final FilterVerdict FAULT =
      new FilterVerdict(Map.of(FilterCategory.VIOLENCE, FilterSeverity.MEDIUM), false, Map.of(), FilterSeverity.MEDIUM);

  private final FilterVerdict verdict;

  ContentFilterJson(FilterVerdict verdict) {
    this.verdict = verdict;
  }

  FilterVerdict verdict() {
    return verdict;
  }

  /** {@code [{"prompt_index":0,"content_filter_results":{...}}]}. */
  ArrayNode promptFilterResults() {
    ArrayNode results = JSON.createArrayNode();
    ObjectNode entry = results.addObject();
    entry.put("prompt_index", 0);
    entry.set("content_filter_results", promptResults());
    return results;
  }

  /** The prompt's results: the four harm categories and {@code jailbreak}. */
  ObjectNode promptResults() {
    ObjectNode results = JSON.createObjectNode();
    for (FilterCategory category : FilterCategory.values()) {
      if (category.rated()) {
        rated(results, category, verdict.prompt(category));
      } else {
        results.putObject(category.id()).put("filtered", verdict.jailbreak()).put("detected", verdict.jailbreak());
      }
    }
    return results;
  }

  /** A choice's results: the four harm categories and the protected material detectors. */
  ObjectNode choiceResults() {
    ObjectNode results = JSON.createObjectNode();
    rated(results, FilterCategory.HATE, verdict.completion(FilterCategory.HATE));
    results.putObject("protected_material_code").put("filtered", false).put("detected", false);
    results.putObject("protected_material_text").put("filtered", false).put("detected", false);
    for (FilterCategory category : FilterCategory.HARMS.subList(1, FilterCategory.HARMS.size())) {
      rated(results, category, verdict.completion(category));
    }
    return results;
  }

  /** Azure's {@code 400} body for a refused prompt, its {@code innererror} carrying the prompt's results. */
  String promptBlockedError() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", "The response was filtered due to the prompt triggering Azure OpenAI's content "
        + "management policy. Please modify your prompt and retry. To learn more about our content filtering "
        + "policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766");
    error.putNull("type");
    error.put("param", "prompt");
    error.put("code", "content_filter");
    error.put("status", 400);
    ObjectNode inner = error.putObject("innererror");
    inner.put("code", "ResponsibleAIPolicyViolation");
    inner.set("content_filter_result", promptResults());
    return root.toString();
  }

  private void rated(ObjectNode results, FilterCategory category, FilterSeverity severity) {
    boolean filtered = severity.reaches(FilterSeverity.LOW) && severity.reaches(verdict.blockAt());
    results.putObject(category.id()).put("filtered", filtered).put("severity", severity.label());
  }
}
