package dev.spillway.simulator;

/**
 * Counts for one deployment since the simulator started. Requests that never reached a known
 * deployment (404, 401, unparseable JSON on a {@code /v1} URL) are not counted anywhere.
 *
 * @param requests requests addressed to the deployment (every outcome, including 400s)
 * @param succeeded requests answered normally with 2xx (counted when the answer starts)
 * @param throttled requests answered {@code 429}
 * @param faulted requests that suffered an injected fault (all kinds but slow)
 * @param promptTokens prompt tokens of admitted requests
 * @param completionTokens completion tokens of admitted requests
 */
public record DeploymentStats(
    long requests, long succeeded, long throttled, long faulted, long promptTokens, long completionTokens) {

  public static final DeploymentStats ZERO = new DeploymentStats(0, 0, 0, 0, 0, 0);

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  DeploymentStats plus(DeploymentStats o) {
    return new DeploymentStats(requests + o.requests, succeeded + o.succeeded, throttled + o.throttled,
        faulted + o.faulted, promptTokens + o.promptTokens, completionTokens + o.completionTokens);
  }
}
