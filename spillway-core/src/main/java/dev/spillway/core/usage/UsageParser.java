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
   * <p>The Responses API's shape ({@code input_tokens}, {@code output_tokens}, {@code
   * input_tokens_details.cached_tokens}, {@code output_tokens_details.reasoning_tokens}) reads into
   * the same fields. Missing detail counts ({@code cached_tokens}, {@code reasoning_tokens}, {@code
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
    // Chat, completions and embeddings say prompt/completion; the Responses and Realtime APIs say input/output.
    boolean inputOutput = isAbsent(usage.get("prompt_tokens")) && isAbsent(usage.get("completion_tokens"))
        && (!isAbsent(usage.get("input_tokens")) || !isAbsent(usage.get("output_tokens")));
    String in = inputOutput ? "input_tokens" : "prompt_tokens";
    String out = inputOutput ? "output_tokens" : "completion_tokens";
    JsonNode prompt = usage.get(in);
    JsonNode completion = usage.get(out);
    JsonNode total = usage.get("total_tokens");
    if (isAbsent(prompt) && isAbsent(completion) && isAbsent(total)) {
      return Optional.empty();
    }
    long promptTokens = count(prompt);
    long completionTokens = count(completion);
    long totalTokens = isAbsent(total) ? safeAdd(promptTokens, completionTokens) : count(total);
    JsonNode cached = path(usage, in + "_details", "cached_tokens");
    if (cached == null && inputOutput) {
      cached = path(usage, "input_token_details", "cached_tokens"); // the Realtime API's spelling
    }
    long cachedTokens = count(cached);
    long reasoningTokens = count(path(usage, out + "_details", "reasoning_tokens"));
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
