package dev.spillway.core.routing.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several threads hammer one breaker; no sleeps, a start gate makes them race. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CircuitBreakerConcurrencyTest {
  private static final int THREADS = 8;
  private static final Duration TRIP = Duration.ofSeconds(30);

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final ManualTicker ticker = new ManualTicker(5_000_000_000L);

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  private static BreakerConfig config(int failureThreshold, int minimumCalls, int halfOpenProbes) {
    return new BreakerConfig(true, failureThreshold, 0, minimumCalls, Duration.ofHours(1), TRIP, true,
        halfOpenProbes, Set.of(500));
  }

  /** Runs {@code task(threadIndex)} on every thread at once and returns their results. */
  private <T> List<T> race(IntFunction<T> task) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int index = t;
      futures.add(pool.submit(() -> {
        gate.await();
        return task.apply(index);
      }));
    }
    gate.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get());
    }
    return results;
  }

  @Test
  void noRecordedOutcomeIsLostUnderContention() throws Exception {
    CircuitBreaker b = new CircuitBreaker(config(Integer.MAX_VALUE, Integer.MAX_VALUE, 1));
    int perThread = 5_000;
    race(t -> {
      for (int i = 0; i < perThread; i++) {
        if (i % 5 == 0) {
          b.onFailure(ticker.read(), OptionalLong.empty());
        } else {
          b.onSuccess(ticker.read());
        }
      }
      return null;
    });
    CircuitBreaker.Snapshot s = b.snapshot(ticker.read());
    assertThat(s.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(s.windowCalls()).isEqualTo(THREADS * perThread);
    assertThat(s.windowFailures()).isEqualTo(THREADS * perThread / 5);
  }

  @Test
  void racingFailuresTripTheBreakerExactlyOnce() throws Exception {
    AtomicInteger trips = new AtomicInteger();
    CircuitBreaker b = new CircuitBreaker(config(5, 1, 1), (from, to, now) -> {
      if (to == BreakerState.OPEN) {
        trips.incrementAndGet();
      }
    });
    race(t -> {
      for (int i = 0; i < 1_000; i++) {
        b.onFailure(ticker.read(), OptionalLong.empty());
      }
      return null;
    });
    assertThat(trips).hasValue(1);
    assertThat(b.state(ticker.read())).isEqualTo(BreakerState.OPEN);
    assertThat(b.snapshot(ticker.read()).windowFailures()).isEqualTo(5); // nothing recorded while open
  }

  @Test
  void racingProbesGetExactlyHalfOpenProbesPermits() throws Exception {
    CircuitBreaker b = new CircuitBreaker(config(1, 1, 3));
    b.onFailure(ticker.read(), OptionalLong.empty());
    ticker.advance(TRIP);
    List<Integer> granted = race(t -> {
      int n = 0;
      for (int i = 0; i < 100; i++) {
        n += b.tryAcquirePermission(ticker.read()) ? 1 : 0;
      }
      return n;
    });
    assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
    assertThat(b.state(ticker.read())).isEqualTo(BreakerState.HALF_OPEN);
  }

  @Test
  void chaoticTrafficEndsInAConsistentState() throws Exception {
    Queue events = new Queue();
    CircuitBreaker b = new CircuitBreaker(config(3, 3, 2), events::add);
    race(t -> {
      SplittableRandom random = new SplittableRandom(t);
      for (int i = 0; i < 20_000; i++) {
        if (t == 0 && i % 50 == 0) {
          ticker.advance(Duration.ofSeconds(1)); // time moves while the others work
        }
        long now = ticker.read();
        if (!b.tryAcquirePermission(now)) {
          continue;
        }
        int roll = random.nextInt(10);
        if (roll < 6) {
          b.onSuccess(ticker.read());
        } else if (roll < 9) {
          b.onFailure(ticker.read(), roll == 8 ? OptionalLong.of(2_000) : OptionalLong.empty());
        } else {
          b.onIgnored();
        }
      }
      return null;
    });

    long now = ticker.read();
    BreakerState end = b.state(now);
    // Every permit was reported, so none leaked: a half-open breaker must admit a probe.
    if (end == BreakerState.HALF_OPEN) {
      assertThat(b.isCallPermitted(now)).isTrue();
    }
    // Each published transition was legal, and they balance out from CLOSED to the stored end state
    // (events may be heard out of order, but each CAS is published exactly once).
    Map<BreakerState, Integer> balance = new EnumMap<>(BreakerState.class);
    for (BreakerState[] e : events.items) {
      assertThat(e[0].canTransitionTo(e[1])).as(e[0] + " -> " + e[1]).isTrue();
      balance.merge(e[0], -1, Integer::sum);
      balance.merge(e[1], 1, Integer::sum);
    }
    assertThat(events.items).isNotEmpty();
    // Net flow: out of CLOSED once, into the stored end state once, zero everywhere else. The stored
    // state is the effective one, except that HALF_OPEN may still be stored as OPEN (the lazy step).
    BreakerState stored = end == BreakerState.HALF_OPEN && balance.getOrDefault(BreakerState.OPEN, 0) == 1
        ? BreakerState.OPEN
        : end;
    for (BreakerState s : BreakerState.values()) {
      int expected = (s == stored ? 1 : 0) - (s == BreakerState.CLOSED ? 1 : 0);
      assertThat(balance.getOrDefault(s, 0)).as("balance of " + s).isEqualTo(expected);
    }
    b.reset(now);
    assertThat(b.snapshot(now)).isEqualTo(new CircuitBreaker.Snapshot(BreakerState.CLOSED, 0, 0, 0.0, 0));
  }

  private static final class Queue {
    final ConcurrentLinkedQueue<BreakerState[]> items = new ConcurrentLinkedQueue<>();

    void add(BreakerState from, BreakerState to, long nowNanos) {
      items.add(new BreakerState[] {from, to});
    }
  }
}
