package dev.spillway.bench;

import dev.spillway.simulator.DeploymentStats;

/**
 * One configuration's measured window.
 *
 * @param variant the gateway configuration
 * @param capacityTokensPerMinute C
 * @param windowSeconds the measured window as it actually ran (between the two counter snapshots)
 * @param ptu the simulated PTU deployment's counters over the window (tokens booked at admission)
 * @param payg the simulated PAYG deployment's counters over the window
 * @param ptuBucketStartPercent the PTU bucket's fill when the window opened (100 = full)
 * @param ptuBucketEndPercent and when it closed
 * @param gateway what the gateway's listener reported over the window (by completion time)
 * @param client what the load generator saw (requests due in the window, followed to their end)
 * @param inFlightAtWindowEnd requests still open when sending stopped
 */
public record SpilloverResult(
    RoutingVariant variant,
    long capacityTokensPerMinute,
    double windowSeconds,
    DeploymentStats ptu,
    DeploymentStats payg,
    double ptuBucketStartPercent,
    double ptuBucketEndPercent,
    TierTally.Snapshot gateway,
    OpenLoopGenerator.Summary client,
    long inFlightAtWindowEnd) {

  /** The share of the target a configuration must reach: PTU at least 97 % used. */
  public static final double TARGET_PTU_UTILIZATION = 0.97;

  /** PTU tokens served ÷ (C × window ÷ 60 s). Above 1 only when the bucket's burst was spent inside the window. */
  public double ptuUtilization() {
    return ptu.totalTokens() / (capacityTokensPerMinute * windowSeconds / 60.0);
  }

  /** PAYG tokens ÷ all tokens served in the window. */
  public double spillShare() {
    long all = ptu.totalTokens() + payg.totalTokens();
    return all == 0 ? 0 : payg.totalTokens() / (double) all;
  }

  /** Requests the client saw answered 429. */
  public long client429() {
    return client.window429();
  }

  /** PTU ≥ 97 % utilized and no client saw a 429 (PAYG always has room in this setup). */
  public boolean meetsTarget() {
    return ptuUtilization() >= TARGET_PTU_UTILIZATION && client429() == 0;
  }
}
