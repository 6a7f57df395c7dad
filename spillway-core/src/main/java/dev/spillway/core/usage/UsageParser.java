package dev.spillway.core.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Reads the OpenAI / Azure OpenAI {@code usage} object into a {@link TokenUsage}. Shared by the
 * non-streaming response path and {@code SseUsageScanner}. Pure and thread-safe.
 */
public final class UsageParser {
  private UsageParser() {}

  /**
   * Parses {@code usage} from a whole response body ({@code {"usage":{...}}}) or from the usage
   * object itself.
   *
   * <p>Missing detail counts ({@code cached_tokens}, {@code reasoning_tokens}, {@code
   * completion_tokens} for embeddings) read as 0; a missing {@code total_tokens} is prompt plus
   * completion. Empty when there is no usage object ({@code null}, absent, or with none of {@code
   * prompt_tokens}, {@code completion_tokens}, {@code total_tokens}) or when a count is negative or
   * not a whole number: absent usage is not zero usage.
   */
  public static Optional<TokenUsage> fromJson(JsonNode responseOrUsage) {
    if (responseOrUsage == null || !responseOrUsage.isObject()) {
      return Optional.empty();
    }
    JsonNode usage = responseOrUsage.get("usage");
    if (usage == null) {
      usage = responseOrUsage;
    } else if (!usage.isObject()) {
      return Optional.empty();
    }
    JsonNode prompt = usage.get("prompt_tokens");
    JsonNode completion = usage.get("completion_tokens");
    JsonNode total = usage.get("total_tokens");
    if (isAbsent(prompt) && isAbsent(completion) && isAbsent(total)) {
      return Optional.empty();
    }
    long promptTokens = count(prompt);
    long completionTokens = count(completion);
    long totalTokens = isAbsent(total) ? safeAdd(promptTokens, completionTokens) : count(total);
    long cachedTokens = count(path(usage, "prompt_tokens_details", "cached_tokens"));
    long reasoningTokens = count(path(usage, "completion_tokens_details", "reasoning_tokens"));
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new TokenUsage(promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens));
  }

  private static JsonNode path(JsonNode usage, String details, String field) {
    JsonNode detailsNode = usage.get(details);
    return detailsNode == null || !detailsNode.isObject() ? null : detailsNode.get(field);
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }

  /** 0 when absent; -1 (rejected by the caller) when not a non-negative whole number. */
  private static long count(JsonNode node) {
    if (isAbsent(node)) {
      return 0;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()) && node.canConvertToLong()) {
      return node.asLong();
    }
    return -1;
  }

  private static long safeAdd(long a, long b) {
    if (a < 0 || b < 0) {
      return -1;
    }
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }
}
