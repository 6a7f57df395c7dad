package dev.spillway.core.routing.breaker;

import java.time.Duration;

/**
 * Calls and failures over the last {@code window} of time, as a ring of {@link #BUCKETS} fixed time
 * buckets. Immutable: {@link #record} and {@link #advance} return a new window (or this one when
 * nothing changed), so a window can sit inside the breaker's state object and be swapped with one
 * compare-and-set. Thread-safe because nothing is ever mutated after construction.
 *
 * <p>Bucket {@code b} holds the events with {@code floorDiv(nowNanos, bucketNanos) == b}; the ring
 * keeps the newest bucket (the "head") and the {@code BUCKETS - 1} before it. An event is therefore
 * forgotten between {@code window - window/BUCKETS} and {@code window} after it happened. Each
 * operation costs at most {@code BUCKETS} steps whatever the call rate, and the totals are kept
 * alongside, so reading them is O(1).
 *
 * <p>Time is a {@link dev.spillway.core.time.Ticker} reading. A reading older than the head (two
 * threads racing with readings a few nanos apart) is counted in the head bucket rather than dropped.
 */
final class SlidingWindow {
  static final int BUCKETS = 20;

  // Each bucket packs (calls << 32 | failures); failures <= calls, so neither half overflows into
  // the other below 2^31 calls per bucket.
  private static final long ONE_CALL = 1L << 32;
  private static final long ONE_FAILURE = 1L;

  private final long bucketNanos;
  private final long headBucket;
  private final long[] buckets; // indexed by floorMod(bucket, BUCKETS); never mutated once shared
  private final int calls;
  private final int failures;

  private SlidingWindow(long bucketNanos, long headBucket, long[] buckets, int calls, int failures) {
    this.bucketNanos = bucketNanos;
    this.headBucket = headBucket;
    this.buckets = buckets;
    this.calls = calls;
    this.failures = failures;
  }

  /** An empty window of the given length (positive). */
  static SlidingWindow empty(Duration window) {
    long windowNanos = window.toNanos();
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    long bucketNanos = Math.max(1, (windowNanos + BUCKETS - 1) / BUCKETS);
    return new SlidingWindow(bucketNanos, 0, new long[BUCKETS], 0, 0);
  }

  /** An empty window of the same length. */
  SlidingWindow cleared() {
    return calls == 0 ? this : new SlidingWindow(bucketNanos, headBucket, new long[BUCKETS], 0, 0);
  }

  /** Calls in the window as of the last {@link #record} or {@link #advance}. */
  int calls() {
    return calls;
  }

  /** Failures in the window as of the last {@link #record} or {@link #advance}. */
  int failures() {
    return failures;
  }

  /** This window with one more call (a failure when {@code failure}) at {@code nowNanos}. */
  SlidingWindow record(long nowNanos, boolean failure) {
    SlidingWindow w = advance(nowNanos);
    long[] next = w == this ? buckets.clone() : w.buckets; // advance already copied when it moved
    int head = slot(w.headBucket);
    next[head] += failure ? ONE_CALL + ONE_FAILURE : ONE_CALL;
    return new SlidingWindow(bucketNanos, w.headBucket, next, w.calls + 1, w.failures + (failure ? 1 : 0));
  }

  /**
   * This window with the buckets that are older than the window at {@code nowNanos} dropped. The
   * result's array is a private copy whenever it differs from this one.
   */
  SlidingWindow advance(long nowNanos) {
    long nowBucket = Math.floorDiv(nowNanos, bucketNanos);
    if (calls == 0) {
      // Nothing to expire: just move the head (this also makes the sentinel head of empty() harmless).
      return nowBucket == headBucket ? this : new SlidingWindow(bucketNanos, nowBucket, new long[BUCKETS], 0, 0);
    }
    long age = nowBucket - headBucket;
    if (age <= 0) {
      return this;
    }
    if (age >= BUCKETS) {
      return new SlidingWindow(bucketNanos, nowBucket, new long[BUCKETS], 0, 0);
    }
    long[] next = buckets.clone();
    int c = calls;
    int f = failures;
    for (long b = headBucket + 1; b <= nowBucket; b++) {
      int i = slot(b); // the slot of b held bucket b - BUCKETS, which has now slid out
      c -= (int) (next[i] >>> 32);
      f -= (int) next[i];
      next[i] = 0;
    }
    return new SlidingWindow(bucketNanos, nowBucket, next, c, f);
  }

  private static int slot(long bucket) {
    return (int) Math.floorMod(bucket, (long) BUCKETS);
  }

  @Override
  public String toString() {
    return "SlidingWindow[calls=" + calls + ", failures=" + failures + "]";
  }
}
