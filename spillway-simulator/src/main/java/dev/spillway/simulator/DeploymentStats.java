package dev.spillway.simulator;

/**
 * Counts for one deployment since the simulator started. Requests that never reached a known
 * deployment (404, 401, unparseable JSON on a {@code /v1} URL) are not counted anywhere, nor are the
 * Responses API's calls on a stored id ({@code GET}/{@code DELETE responses/{id}}, its input items, cancel),
 * which address no deployment and cost no tokens.
 *
 * <p>A request that a PTU deployment's bucket rejects and its spillover deployment takes over (see
 * {@link DeploymentConfig#spilloverDeployment()}) is counted on both: the PTU deployment counts it in
 * {@code requests} and {@code spilledOver}; the PAYG deployment that answered counts it in {@code
 * spilledIn} and counts its outcome ({@code succeeded}, {@code throttled}, ...) and its tokens, which
 * {@code spilledInTokens} repeats so that a benchmark can tell spilled tokens from those sent to it
 * directly.
 *
 * @param requests requests addressed to the deployment (every outcome, including 400s)
 * @param succeeded requests answered normally with 2xx (counted when the answer starts)
 * @param throttled requests answered {@code 429}
 * @param faulted requests that suffered an injected fault (all kinds but slow)
 * @param promptTokens prompt tokens of admitted requests
 * @param completionTokens completion tokens of admitted requests
 * @param spilledOver requests this PTU deployment throttled and handed to its spillover deployment
 * @param spilledIn requests this PAYG deployment took over from a PTU deployment, whatever it answered
 * @param spilledInTokens prompt plus completion tokens of the spilled-in requests it admitted
 * @param responsesCreated Responses API creations ({@code POST responses}) it answered normally, streamed or
 *     not, stored or not: a part of {@code succeeded}; their tokens are in {@code promptTokens} and
 *     {@code completionTokens} like any other
 * @param promptsFiltered requests refused with {@code 400 content_filter} because the simulated content filter blocked
 *     their prompt (admitted for their prompt tokens first, as Azure bills them); not those of the {@code
 *     content_filter} fault, which are {@code faulted}
 * @param completionsFiltered answers whose completion the simulated content filter cut, ending with {@code
 *     finish_reason: content_filter} (or a Responses API {@code incomplete} for {@code content_filter}): a part of
 *     {@code succeeded}
 */
public record DeploymentStats(
    long requests,
    long succeeded,
    long throttled,
    long faulted,
    long promptTokens,
    long completionTokens,
    long spilledOver,
    long spilledIn,
    long spilledInTokens,
    long responsesCreated,
    long promptsFiltered,
    long completionsFiltered) {

  public static final DeploymentStats ZERO = new DeploymentStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Counts of a simulator whose content filters filtered nothing. */
  public DeploymentStats(long requests, long succeeded, long throttled, long faulted, long promptTokens,
      long completionTokens, long spilledOver, long spilledIn, long spilledInTokens, long responsesCreated) {
    this(requests, succeeded, throttled, faulted, promptTokens, completionTokens, spilledOver, spilledIn,
        spilledInTokens, responsesCreated, 0, 0);
  }

  /** Counts of a simulator serving no Responses API calls. */
  public DeploymentStats(long requests, long succeeded, long throttled, long faulted, long promptTokens,
      long completionTokens, long spilledOver, long spilledIn, long spilledInTokens) {
    this(requests, succeeded, throttled, faulted, promptTokens, completionTokens, spilledOver, spilledIn,
        spilledInTokens, 0);
  }

  /** Counts of a simulator without spillover. */
  public DeploymentStats(
      long requests, long succeeded, long throttled, long faulted, long promptTokens, long completionTokens) {
    this(requests, succeeded, throttled, faulted, promptTokens, completionTokens, 0, 0, 0);
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** What was counted between snapshot {@code earlier} and this one. */
  public DeploymentStats minus(DeploymentStats earlier) {
    return new DeploymentStats(requests - earlier.requests, succeeded - earlier.succeeded,
        throttled - earlier.throttled, faulted - earlier.faulted, promptTokens - earlier.promptTokens,
        completionTokens - earlier.completionTokens, spilledOver - earlier.spilledOver,
        spilledIn - earlier.spilledIn, spilledInTokens - earlier.spilledInTokens,
        responsesCreated - earlier.responsesCreated, promptsFiltered - earlier.promptsFiltered,
        completionsFiltered - earlier.completionsFiltered);
  }

  DeploymentStats plus(DeploymentStats o) {
    return new DeploymentStats(requests + o.requests, succeeded + o.succeeded, throttled + o.throttled,
        faulted + o.faulted, promptTokens + o.promptTokens, completionTokens + o.completionTokens,
        spilledOver + o.spilledOver, spilledIn + o.spilledIn, spilledInTokens + o.spilledInTokens,
        responsesCreated + o.responsesCreated, promptsFiltered + o.promptsFiltered,
        completionsFiltered + o.completionsFiltered);
  }
}
