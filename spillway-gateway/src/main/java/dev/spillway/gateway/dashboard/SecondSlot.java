package dev.spillway.gateway.dashboard;

import java.util.HashMap;
import java.util.Map;

/**
 * What happened in one second of gateway time. Reused for the same second of the next ring turn
 * after {@link #reset}. Maps are bounded: past {@link #MAX_KEYS} distinct consumers (or consumer
 * and limit pairs) in one second, the rest are counted under {@link #OTHERS}. Not thread-safe:
 * {@link DashboardStats} guards it.
 */
final class SecondSlot {
  static final int MAX_KEYS = 64;
  static final String OTHERS = "(others)";

  /** Tokens and requests of one consumer. */
  static final class ConsumerTally {
    String team = "";
    long tokens;
    long requests;
  }

  long second = -1;
  final Map<Integer, Long> requestsByStatus = new HashMap<>();
  /** Key: {@code model tier}, e.g. {@code gpt-4o ptu}. */
  final Map<String, Long> tokensByModelTier = new HashMap<>();
  final Map<String, Long> tokensByBackend = new HashMap<>();
  /** The utilization a backend last reported during this second, in percent. */
  final Map<String, Double> reportedUtilizationByBackend = new HashMap<>();
  final Map<String, ConsumerTally> consumers = new HashMap<>();
  /** Key: consumer, NUL, limit id. */
  final Map<String, Long> limitRejections = new HashMap<>();
  final LatencyHistogram latency = new LatencyHistogram();
  final LatencyHistogram timeToFirstToken = new LatencyHistogram();
  final CacheView.Tally cache = new CacheView.Tally();
  final SafetyView.Tally safety = new SafetyView.Tally();

  void reset(long newSecond) {
    second = newSecond;
    requestsByStatus.clear();
    tokensByModelTier.clear();
    tokensByBackend.clear();
    reportedUtilizationByBackend.clear();
    consumers.clear();
    limitRejections.clear();
    latency.clear();
    timeToFirstToken.clear();
    cache.clear();
    safety.clear();
  }

  ConsumerTally consumer(String id, String team) {
    String key = consumers.containsKey(id) || consumers.size() < MAX_KEYS ? id : OTHERS;
    ConsumerTally tally = consumers.computeIfAbsent(key, k -> new ConsumerTally());
    if (!key.equals(OTHERS)) {
      tally.team = team;
    }
    return tally;
  }

  void rejected(String consumer, String limit) {
    String key = consumer + '\0' + limit;
    if (!limitRejections.containsKey(key) && limitRejections.size() >= MAX_KEYS) {
      key = OTHERS + '\0' + limit;
    }
    limitRejections.merge(key, 1L, Long::sum);
  }
}
