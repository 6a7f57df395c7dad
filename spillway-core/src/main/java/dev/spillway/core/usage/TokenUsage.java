package dev.spillway.core.usage;

/**
 * Token counts of one response as the backend reported them (the {@code usage} object).
 *
 * <p>"Absent" is expressed by {@code Optional<TokenUsage>} at the call site, never by zeros: a
 * response without {@code usage} is not a response that used no tokens.
 *
 * @param promptTokens {@code prompt_tokens}
 * @param completionTokens {@code completion_tokens} (0 for embeddings)
 * @param totalTokens {@code total_tokens}
 * @param cachedTokens {@code prompt_tokens_details.cached_tokens}, 0 when not reported
 * @param reasoningTokens {@code completion_tokens_details.reasoning_tokens}, 0 when not reported
 */
public record TokenUsage(
    long promptTokens, long completionTokens, long totalTokens, long cachedTokens, long reasoningTokens) {

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  public static TokenUsage of(long promptTokens, long completionTokens) {
    return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0);
  }
}
