package dev.spillway.simulator;

import dev.spillway.core.config.Tier;
import java.util.Map;
import java.util.Optional;

/**
 * Which deployment answers a request: the one it was addressed to, or, when that is a PTU deployment
 * whose bucket rejects it and a spillover deployment applies, that PAYG deployment instead.
 *
 * <p>This is Azure OpenAI's own spillover for provisioned deployments, which a gateway may rely on
 * instead of routing around a PTU 429 itself: the deployment property {@code
 * spilloverDeploymentName} (here {@link DeploymentConfig#spilloverDeployment()}) or the request
 * header {@value #REQUEST_HEADER} (which wins) names a standard deployment of the same resource, and
 * a request the provisioned deployment would answer {@code 429} goes there at once, with no wait and
 * within the same HTTP exchange. The answer names what happened in {@value #FROM_HEADER} (the PTU
 * deployment) and {@value #ERROR_HEADER} (the status that triggered it), whether or not the standard
 * deployment then admitted it; if it did not, its own {@code 429} is what the caller gets. Only a
 * throttled PTU spills here: the simulator's faults are never passed on.
 *
 * <p>Stateless; the counters it books live in the thread-safe {@link DeploymentRuntime}s.
 */
final class SpilloverAdmission {
  /** Request header naming the standard deployment to spill to, for this request only. */
  static final String REQUEST_HEADER = "x-ms-spillover-deployment";
  /** Response header of a spilled request: the provisioned deployment it was addressed to. */
  static final String FROM_HEADER = "x-ms-spillover-from-deployment";
  /** Response header of a spilled request: the status the provisioned deployment would have answered. */
  static final String ERROR_HEADER = "x-ms-spillover-error";

  private SpilloverAdmission() {}

  /**
   * The outcome of {@link #admit}.
   *
   * @param answeredBy the deployment whose limiter decided last, and whose answer (2xx or 429) is sent
   * @param admission that limiter's decision and headers
   * @param spilled whether the addressed deployment rejected the request and passed it to {@code answeredBy}
   */
  record Outcome(DeploymentRuntime answeredBy, Admission admission, boolean spilled) {}

  /**
   * The deployment that takes what {@code addressed} throttles: the one {@code headerValue} names
   * when the request carries {@value #REQUEST_HEADER}, else the configured one; empty for a PAYG
   * deployment, which has nothing to spill from.
   *
   * @param headerValue the request's {@value #REQUEST_HEADER}, or null
   * @throws InvalidRequestException when the header names no standard deployment of the same kind
   */
  static Optional<DeploymentRuntime> target(
      DeploymentRuntime addressed, String headerValue, Map<String, DeploymentRuntime> deployments) {
    if (headerValue != null) {
      DeploymentRuntime named = deployments.get(headerValue.strip());
      if (named == null) {
        throw new InvalidRequestException("The spillover deployment '" + headerValue.strip() + "' named in "
            + REQUEST_HEADER + " does not exist in this resource.", null);
      }
      if (named.config().tier() != Tier.PAYG || named.config().kind() != addressed.config().kind()) {
        throw new InvalidRequestException("The spillover deployment '" + named.config().name() + "' named in "
            + REQUEST_HEADER + " must be a standard deployment that serves the same operations as '"
            + addressed.config().name() + "'.", null);
      }
    }
    if (addressed.config().tier() != Tier.PTU) {
      return Optional.empty();
    }
    if (headerValue != null) {
      return Optional.of(deployments.get(headerValue.strip()));
    }
    return addressed.config().spilloverDeployment().map(deployments::get);
  }

  /**
   * Books {@code promptTokens + completionTokens} on {@code addressed} if it admits them, else on
   * {@code spillover} if there is one and it does; counts the outcome on whichever decided last
   * (tokens, or a 429) and the spill on both.
   *
   * @param nowNanos a {@link dev.spillway.core.time.Ticker} reading
   */
  static Outcome admit(DeploymentRuntime addressed, Optional<DeploymentRuntime> spillover,
      long promptTokens, long completionTokens, long nowNanos) {
    long cost = promptTokens + completionTokens;
    Admission first = addressed.limiter().tryAdmit(cost, nowNanos);
    if (first.admitted() || spillover.isEmpty()) {
      return booked(new Outcome(addressed, first, false), promptTokens, completionTokens);
    }
    DeploymentRuntime target = spillover.get();
    addressed.spilledOver.increment();
    target.spilledIn.increment();
    Outcome outcome = booked(new Outcome(target, target.limiter().tryAdmit(cost, nowNanos), true),
        promptTokens, completionTokens);
    if (outcome.admission().admitted()) {
      target.spilledInTokens.add(cost);
    }
    return outcome;
  }

  private static Outcome booked(Outcome o, long promptTokens, long completionTokens) {
    if (o.admission().admitted()) {
      o.answeredBy().promptTokens.add(promptTokens);
      o.answeredBy().completionTokens.add(completionTokens);
    } else {
      o.answeredBy().throttled.increment();
    }
    return o;
  }
}
