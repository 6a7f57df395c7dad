package dev.spillway.core.cache;

import dev.spillway.core.usage.TokenUsage;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cache did for one request: the value of the {@code x-spillway-cache} response header and of the usage
 * ledger's {@code cacheStatus} column.
 */
public enum CacheStatus {
  /** The cache was not involved: it is off, or the operation is not cached. No header. */
  NONE("none", ""),
  /** Looked up, not found: the backend answered (and the answer may have been stored). */
  MISS("miss", "MISS"),
  /** Not looked up: the request may not be cached (its temperature, {@code Cache-Control}, the consumer opted out). */
  BYPASS("bypass", "BYPASS"),
  /** Answered from the exact layer. */
  HIT("exact", "HIT"),
  /** Answered from the semantic layer: a similar enough question's answer. */
  SEMANTIC_HIT("semantic", "SEMANTIC_HIT");

  private final String ledgerValue;
  private final String header;

  CacheStatus(String ledgerValue, String header) {
    this.ledgerValue = ledgerValue;
    this.header = header;
  }

  /** As the ledger records it. */
  public String ledgerValue() {
    return ledgerValue;
  }

  /** As {@code x-spillway-cache} says it; empty for {@link #NONE}. */
  public String header() {
    return header;
  }

  public boolean hit() {
    return this == HIT || this == SEMANTIC_HIT;
  }

  /**
   * A request's cache outcome: its status and, for a hit, the tokens it saved (what the stored answer cost when the
   * backend made it).
   */
  public record Outcome(CacheStatus status, Optional<TokenUsage> saved) {
    public static final Outcome NONE = new Outcome(CacheStatus.NONE, Optional.empty());

    public Outcome {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(saved, "saved");
    }
  }
}
