package dev.spillway.simulator;

import java.util.Map;

/**
 * A snapshot of per-deployment counters, taken by {@link Simulator#stats()}. Counters are read one
 * by one without a global lock, so a snapshot taken under load may be a few requests apart between
 * fields.
 *
 * @param deployments counts keyed by deployment name, in config order
 */
public record SimulatorStats(Map<String, DeploymentStats> deployments) {

  public SimulatorStats {
    deployments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deployments));
  }

  /** The counts of {@code deployment}, or {@link DeploymentStats#ZERO} when it does not exist. */
  public DeploymentStats deployment(String deployment) {
    return deployments.getOrDefault(deployment, DeploymentStats.ZERO);
  }

  /** The sum over all deployments. */
  public DeploymentStats total() {
    return deployments.values().stream().reduce(DeploymentStats.ZERO, DeploymentStats::plus);
  }
}
