package dev.spillway.core.cache;

import dev.spillway.core.usage.TokenUsage;
import java.util.Objects;

/**
 * One answer in the cache: a complete chat completion as the non-streamed API returns it (a streamed answer is stored
 * assembled, see {@link StreamedAnswer}), the usage it cost when it was made, and who may be given it.
 *
 * @param key the exact key, or the semantic entry's id
 * @param tenant whose it is ({@link CacheSettings.VaryBy}); {@code *} for anyone's
 * @param model the logical model that made it
 * @param completion the {@code chat.completion} object's JSON (UTF-8)
 * @param usage what the backend reported for it: the tokens a hit saves
 * @param storedAtMillis when it was stored (epoch millis)
 * @param expiresAtMillis when it stops being served
 */
public record CachedAnswer(
    String key, String tenant, String model, byte[] completion, TokenUsage usage, long storedAtMillis, long expiresAtMillis) {
  /** What an entry costs beyond its answer's bytes (its key, strings and bookkeeping), for the byte bound. */
  static final int OVERHEAD_BYTES = 256;

  public CachedAnswer {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(completion, "completion");
    Objects.requireNonNull(usage, "usage");
  }

  /** The bytes it holds, as the cache counts them. */
  public long weight() {
    return completion.length + OVERHEAD_BYTES + 2L * (key.length() + tenant.length() + model.length());
  }

  public boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }
}
