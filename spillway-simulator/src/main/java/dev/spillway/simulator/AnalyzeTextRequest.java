package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Content Safety {@code text:analyze} body: {@code text} (required, at most {@value #MAX_TEXT} code points), {@code
 * categories} (some of {@code Hate}, {@code SelfHarm}, {@code Sexual}, {@code Violence}; all when absent or empty),
 * {@code blocklistNames}, {@code haltOnBlocklistHit} and {@code outputType} ({@code FourSeverityLevels}, the default,
 * or {@code EightSeverityLevels}).
 *
 * @param text the text to rate
 * @param categories the categories to answer, in the order asked, without repeats
 * @param blocklistNames the blocklists to match, as named (their existence is checked by the caller)
 * @param haltOnBlocklistHit whether a blocklist match skips the category analysis
 * @param eightLevels whether severities are answered on the eight-level scale
 */
record AnalyzeTextRequest(String text, List<FilterCategory> categories, List<String> blocklistNames,
    boolean haltOnBlocklistHit, boolean eightLevels) {
  static final int MAX_TEXT = 10_000;

  /** Reads {@code body}; throws {@link InvalidRequestException} for what the service refuses. */
  static AnalyzeTextRequest parse(JsonNode body) {
    JsonNode text = body.get("text");
    if (text == null || !text.isTextual()) {
      throw new InvalidRequestException("The field 'text' is required and must be a string.", "text");
    }
    int length = text.asText().codePointCount(0, text.asText().length());
    if (length > MAX_TEXT) {
      throw new InvalidRequestException("The text is too long: " + length + " characters; at most " + MAX_TEXT
          + " are analyzed in one request. Split the text.", "text");
    }
    Set<FilterCategory> categories = new LinkedHashSet<>();
    for (String name : strings(body, "categories")) {
      categories.add(FilterCategory.fromContentSafetyName(name).orElseThrow(() -> new InvalidRequestException(
          "The category '" + name + "' is not supported; expected Hate, SelfHarm, Sexual or Violence.", "categories")));
    }
    String outputType = optionalText(body, "outputType", "FourSeverityLevels");
    if (!outputType.equals("FourSeverityLevels") && !outputType.equals("EightSeverityLevels")) {
      throw new InvalidRequestException("The outputType '" + outputType
          + "' is not supported; expected FourSeverityLevels or EightSeverityLevels.", "outputType");
    }
    JsonNode halt = body.get("haltOnBlocklistHit");
    if (halt != null && !halt.isNull() && !halt.isBoolean()) {
      throw new InvalidRequestException("The field 'haltOnBlocklistHit' must be a boolean.", "haltOnBlocklistHit");
    }
    return new AnalyzeTextRequest(text.asText(), List.copyOf(categories.isEmpty() ? FilterCategory.HARMS : categories),
        List.copyOf(strings(body, "blocklistNames")), halt != null && halt.asBoolean(),
        outputType.equals("EightSeverityLevels"));
  }

  /** The strings of the optional array {@code field}. */
  static List<String> strings(JsonNode body, String field) {
    JsonNode value = body.get(field);
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) {
      return out;
    }
    if (!value.isArray()) {
      throw new InvalidRequestException("The field '" + field + "' must be an array of strings.", field);
    }
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new InvalidRequestException("The field '" + field + "' must be an array of strings.", field);
      }
      out.add(item.asText());
    }
    return out;
  }

  private static String optionalText(JsonNode body, String field, String absent) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException("The field '" + field + "' must be a string.", field);
    }
    return value.asText();
  }
}
