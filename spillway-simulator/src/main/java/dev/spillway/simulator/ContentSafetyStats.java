package dev.spillway.simulator;

/**
 * Counts of the simulated Azure AI Content Safety resource since the simulator started, taken by {@link
 * Simulator#contentSafetyStats()}; counters are read one by one, so a snapshot under load may be a few calls apart.
 *
 * @param requests calls to any {@code /contentsafety/} path, whatever they were answered
 * @param analyzed {@code text:analyze} calls answered 200
 * @param shielded {@code text:shieldPrompt} calls answered 200
 * @param flagged analyzed texts rated above 0 in some category or matching a blocklist
 * @param attacksDetected shielded calls with an attack in the user prompt or a document
 * @param rejected calls refused for their URL, method or body (400, 404, 405)
 * @param unauthorized calls refused for their key (401)
 * @param faulted calls that suffered an injected fault (all kinds but slow)
 */
public record ContentSafetyStats(long requests, long analyzed, long shielded, long flagged, long attacksDetected,
    long rejected, long unauthorized, long faulted) {

  /** What was counted between snapshot {@code earlier} and this one. */
  public ContentSafetyStats minus(ContentSafetyStats earlier) {
    return new ContentSafetyStats(requests - earlier.requests, analyzed - earlier.analyzed,
        shielded - earlier.shielded, flagged - earlier.flagged, attacksDetected - earlier.attacksDetected,
        rejected - earlier.rejected, unauthorized - earlier.unauthorized, faulted - earlier.faulted);
  }
}
