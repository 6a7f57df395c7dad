package dev.spillway.simulator;

import dev.spillway.core.config.Tier;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live side of one deployment: its limiter, its counters and its fault sequence. Thread-safe.
 */
final class DeploymentRuntime {
  private final DeploymentConfig config;
  private final DeploymentLimiter limiter;
  private final FaultSequence faults;
  private final Optional<PromptCache> promptCache;

  final LongAdder requests = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  final LongAdder throttled = new LongAdder();
  final LongAdder faulted = new LongAdder();
  final LongAdder promptTokens = new LongAdder();
  final LongAdder completionTokens = new LongAdder();
  final LongAdder spilledOver = new LongAdder();
  final LongAdder spilledIn = new LongAdder();
  final LongAdder spilledInTokens = new LongAdder();
  final LongAdder responsesCreated = new LongAdder();
  final LongAdder promptsFiltered = new LongAdder();
  final LongAdder completionsFiltered = new LongAdder();

  DeploymentRuntime(DeploymentConfig config, Timing timing, long seed, long nowNanos) {
    this.config = config;
    this.limiter = config.tier() == Tier.PTU
        ? new PtuBucket(config.capacityTokensPerMinute(), timing.ptuBurst(), nowNanos)
        : new PaygQuota(config.tokensPerMinute(), config.requestsPerMinute());
    this.faults = new FaultSequence(config.faults(), seed, config.name());
    this.promptCache = config.promptCache() ? Optional.of(new PromptCache()) : Optional.empty();
  }

  /** The deployment's prompt cache, when {@link DeploymentConfig#promptCache()} is on. */
  Optional<PromptCache> promptCache() {
    return promptCache;
  }

  DeploymentConfig config() {
    return config;
  }

  DeploymentLimiter limiter() {
    return limiter;
  }

  /**
   * The fault configured for the next request, if the dice say so. Draw {@code n} of a deployment
   * depends only on the seed, the name and {@code n}, so a run is reproducible for a given order
   * of arrivals.
   */
  Optional<FaultKind> drawConfiguredFault() {
    return faults.draw();
  }

  DeploymentStats snapshot() {
    return new DeploymentStats(requests.sum(), succeeded.sum(), throttled.sum(), faulted.sum(),
        promptTokens.sum(), completionTokens.sum(), spilledOver.sum(), spilledIn.sum(), spilledInTokens.sum(),
        responsesCreated.sum(), promptsFiltered.sum(), completionsFiltered.sum());
  }
}
