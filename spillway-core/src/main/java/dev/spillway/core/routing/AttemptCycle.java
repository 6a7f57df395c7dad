package dev.spillway.core.routing;

import java.util.BitSet;
import java.util.Optional;

/**
 * One client request's passage through its pool: which backends it tried, how long it waited for
 * PTU, its deadline, its estimated cost and its session key. Not thread-safe: it belongs to one
 * request, handled on one thread at a time.
 */
public final class AttemptCycle {
  private final BitSet tried;
  private final long deadlineNanos;
  private final long estimatedCostTokens;
  private final Optional<String> affinityKey;
  private int attempts;
  private long waitedNanos;
  private int waits;

  AttemptCycle(int poolSize, long deadlineNanos, long estimatedCostTokens, Optional<String> affinityKey) {
    this.tried = new BitSet(poolSize);
    this.deadlineNanos = deadlineNanos;
    this.estimatedCostTokens = estimatedCostTokens;
    this.affinityKey = affinityKey;
  }

  public boolean tried(BackendState backend) {
    return tried.get(backend.poolIndex());
  }

  public void record(BackendState backend) {
    tried.set(backend.poolIndex());
    attempts++;
  }

  /** After waiting for a backend, it may be tried again in this cycle. */
  void forgetTried(BackendState backend) {
    tried.clear(backend.poolIndex());
  }

  void recordWait(long nanos) {
    waitedNanos += nanos;
    waits++;
  }

  public int attempts() {
    return attempts;
  }

  public long waitedNanos() {
    return waitedNanos;
  }

  public int waits() {
    return waits;
  }

  public long deadlineNanos() {
    return deadlineNanos;
  }

  public long estimatedCostTokens() {
    return estimatedCostTokens;
  }

  public Optional<String> affinityKey() {
    return affinityKey;
  }
}
