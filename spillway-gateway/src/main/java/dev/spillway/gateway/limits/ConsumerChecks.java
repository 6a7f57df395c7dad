package dev.spillway.gateway.limits;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.limits.LimitCheck;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limit checks of a consumer whose counters depend on nothing but the consumer, its team and the model, kept per
 * (consumer, model): building them (a map of dimensions, a sorted copy, the counter key, a check per rule) cost half a
 * KiB per request, the same every time.
 *
 * <p>Thread-safe. Keyed by consumer id; a reloaded consumer (a new {@link ConsumerConfig} instance) replaces its entry
 * on first use (a store that hands out equal copies keeps its entry). At most {@link #MAX_MODELS} models are kept per consumer; beyond, checks are built per call.
 */
final class ConsumerChecks {
  static final int MAX_MODELS = 256;

  private static final ConcurrentHashMap<String, PerConsumer> BY_ID = new ConcurrentHashMap<>();

  private record PerConsumer(ConsumerConfig config, ConcurrentHashMap<String, List<LimitCheck>> byModel) {}

  private ConsumerChecks() {}

  /** The checks kept for {@code consumer} and {@code model}; null when none are. */
  static List<LimitCheck> get(ConsumerConfig consumer, String model) {
    PerConsumer entry = BY_ID.get(consumer.id());
    return entry == null || !same(entry.config(), consumer) ? null : entry.byModel().get(model);
  }

  /** Keeps {@code checks} (immutable) for {@code consumer} and {@code model}. */
  static void put(ConsumerConfig consumer, String model, List<LimitCheck> checks) {
    PerConsumer entry = BY_ID.get(consumer.id());
    if (entry == null || !same(entry.config(), consumer)) {
      entry = new PerConsumer(consumer, new ConcurrentHashMap<>());
      BY_ID.put(consumer.id(), entry);
    }
    if (entry.byModel().size() < MAX_MODELS) {
      entry.byModel().put(model, checks);
    }
  }

  private static boolean same(ConsumerConfig kept, ConsumerConfig consumer) {
    return kept == consumer || kept.equals(consumer);
  }
}
