package dev.spillway.bench;

import dev.spillway.simulator.DeploymentStats;

/**
 * One scenario × configuration of {@link StationBenchmark}: what was measured over its window and the
 * figures the report shows, derived here so that the Markdown, the JSON and the targets agree.
 *
 * @param scenario the offered load
 * @param variant the gateway configuration
 * @param capacityTokensPerMinute C
 * @param windowSeconds the measured window as it ran (between the two counter snapshots)
 * @param ptu the simulated PTU deployment's counters over the window (tokens booked at admission)
 * @param payg the simulated PAYG deployment's counters over the window, spilled-in requests included
 * @param ptuBucketStartPercent the PTU bucket's fill when the window opened (100 = full)
 * @param ptuBucketEndPercent and when it closed
 * @param client what the load generator saw (requests due in the window, followed to their end)
 * @param critical the critical consumer's answers (none outside the critical mix)
 * @param standard the standard consumer's answers
 * @param serviceMillis how long the simulator takes to answer one request with no wait at all
 * @param paygPricePer1kTokens what a PAYG token costs, per 1,000
 */
record StationCell(
    StationScenario scenario,
    StationVariant variant,
    long capacityTokensPerMinute,
    double windowSeconds,
    DeploymentStats ptu,
    DeploymentStats payg,
    double ptuBucketStartPercent,
    double ptuBucketEndPercent,
    OpenLoopGenerator.Summary client,
    ClassTally.Summary critical,
    ClassTally.Summary standard,
    double serviceMillis,
    double paygPricePer1kTokens) {

  /** PTU tokens served ÷ (C × window ÷ 60 s). */
  double ptuUtilization() {
    return ptu.totalTokens() / (capacityTokensPerMinute * windowSeconds / 60.0);
  }

  /** Tokens PAYG served, whether the gateway routed them there or the resource spilled them. */
  long paygTokens() {
    return payg.totalTokens();
  }

  /** PAYG tokens ÷ all tokens served in the window. */
  double paygShare() {
    long all = ptu.totalTokens() + payg.totalTokens();
    return all == 0 ? 0 : payg.totalTokens() / (double) all;
  }

  /** What the PAYG tokens would cost per hour at the window's rate. */
  double paygCostPerHour() {
    return paygTokens() / 1000.0 * paygPricePer1kTokens * 3600 / windowSeconds;
  }

  long client429() {
    return client.window429();
  }

  long otherErrors() {
    return client.windowOtherErrors();
  }

  /** Median latency minus the simulator's own service time: what the gateway added, its waits included. */
  double addedWaitP50Millis() {
    return client.okLatency().p50Millis() - serviceMillis;
  }

  double addedWaitP99Millis() {
    return client.okLatency().p99Millis() - serviceMillis;
  }

  /**
   * Requests the PTU turned away (a 429 to the gateway, or a spill inside the resource) per request it
   * answered at all; 0 when it answered none.
   */
  double ptu429PerAnswer() {
    return ptu.requests() == 0 ? 0 : (ptu.throttled() + ptu.spilledOver()) / (double) ptu.requests();
  }

  /** The critical consumer's added wait at the median, or 0 without answers. */
  double criticalAddedWaitP50Millis() {
    return critical.ok() == 0 ? 0 : critical.latency().p50Millis() - serviceMillis;
  }

  double criticalAddedWaitP99Millis() {
    return critical.ok() == 0 ? 0 : critical.latency().p99Millis() - serviceMillis;
  }

  double standardAddedWaitP50Millis() {
    return standard.ok() == 0 ? 0 : standard.latency().p50Millis() - serviceMillis;
  }

  double standardAddedWaitP99Millis() {
    return standard.ok() == 0 ? 0 : standard.latency().p99Millis() - serviceMillis;
  }
}
