package dev.spillway.core.routing.strategy;

import java.util.concurrent.atomic.AtomicInteger;

/** A backend as a strategy sees it, with an in-flight count tests can move. */
final class FakeCandidate implements Candidate {
  private final int poolIndex;
  private final int weight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LatencyStats latency = new LatencyStats();

  FakeCandidate(int poolIndex, int weight) {
    this.poolIndex = poolIndex;
    this.weight = weight;
  }

  static FakeCandidate at(int poolIndex) {
    return new FakeCandidate(poolIndex, 1);
  }

  FakeCandidate withInFlight(int calls) {
    inFlight.set(calls);
    return this;
  }

  /** Records a streamed call: {@code ttftMillis} to the first token, then {@code millisPerToken} each. */
  FakeCandidate measured(long ttftMillis, long millisPerToken) {
    long tokens = 100;
    latency.record(ttftMillis * 1_000_000, (ttftMillis + millisPerToken * tokens) * 1_000_000, tokens);
    return this;
  }

  void callStarted() {
    inFlight.incrementAndGet();
  }

  void callEnded() {
    inFlight.decrementAndGet();
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public LatencyStats latency() {
    return latency;
  }

  @Override
  public int poolIndex() {
    return poolIndex;
  }

  @Override
  public String toString() {
    return "candidate" + poolIndex;
  }
}
