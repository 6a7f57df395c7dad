package dev.spillway.simulator;

import java.util.concurrent.atomic.LongAdder;

/** The live Realtime counters of one deployment, summed into {@link RealtimeStats}. Thread-safe. */
final class RealtimeCounters {
  final LongAdder sessionsOpened = new LongAdder();
  final LongAdder sessionsClosed = new LongAdder();
  final LongAdder sessionsThrottled = new LongAdder();
  final LongAdder responsesDone = new LongAdder();
  final LongAdder responsesThrottled = new LongAdder();
  final LongAdder inputTokens = new LongAdder();
  final LongAdder audioInputTokens = new LongAdder();
  final LongAdder outputTokens = new LongAdder();

  RealtimeStats snapshot() {
    long closed = sessionsClosed.sum(); // read before opened, so that open is never negative
    long opened = sessionsOpened.sum();
    return new RealtimeStats(opened, opened - closed, sessionsThrottled.sum(), responsesDone.sum(),
        responsesThrottled.sum(), inputTokens.sum(), audioInputTokens.sum(), outputTokens.sum());
  }
}
