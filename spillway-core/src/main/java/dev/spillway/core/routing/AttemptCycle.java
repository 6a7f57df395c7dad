package dev.spillway.core.routing;

import java.util.BitSet;

/**
 * The backends one client request has already tried. Not thread-safe: it belongs to one request,
 * which is handled on one thread at a time.
 */
public final class AttemptCycle {
  private final BitSet tried;
  private int attempts;

  AttemptCycle(int poolSize) {
    this.tried = new BitSet(poolSize);
  }

  public boolean tried(BackendState backend) {
    return tried.get(backend.index());
  }

  public void record(BackendState backend) {
    tried.set(backend.index());
    attempts++;
  }

  public int attempts() {
    return attempts;
  }
}
