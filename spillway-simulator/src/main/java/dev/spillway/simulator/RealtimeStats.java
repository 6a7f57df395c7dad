package dev.spillway.simulator;

/**
 * Realtime API counts for one deployment since the simulator started, from {@link
 * Simulator#realtimeStats(String)}. They add to what {@link DeploymentStats} already counts of the
 * same traffic: there, an upgrade request addressed to the deployment counts in {@code requests},
 * an accepted one in {@code succeeded}, a refused one in {@code throttled}, and the tokens of
 * finished responses in {@code promptTokens} and {@code completionTokens}.
 *
 * @param sessionsOpened WebSocket upgrades accepted
 * @param sessionsOpen sessions still open at the snapshot
 * @param sessionsThrottled upgrades answered {@code 429} because the deployment was full
 * @param responsesDone responses that ended with {@code response.done} after generating (completed,
 *     incomplete or cancelled)
 * @param responsesThrottled responses that failed because the deployment's rate limit refused them
 * @param inputTokens input tokens of the finished responses (each re-reads the conversation so far)
 * @param audioInputTokens the part of {@code inputTokens} that is audio
 * @param outputTokens output tokens of the finished responses (as sent, so a cancelled one counts what it sent)
 */
public record RealtimeStats(
    long sessionsOpened,
    long sessionsOpen,
    long sessionsThrottled,
    long responsesDone,
    long responsesThrottled,
    long inputTokens,
    long audioInputTokens,
    long outputTokens) {

  public static final RealtimeStats ZERO = new RealtimeStats(0, 0, 0, 0, 0, 0, 0, 0);

  /** What was counted between snapshot {@code earlier} and this one; {@code sessionsOpen} becomes the change. */
  public RealtimeStats minus(RealtimeStats earlier) {
    return new RealtimeStats(sessionsOpened - earlier.sessionsOpened, sessionsOpen - earlier.sessionsOpen,
        sessionsThrottled - earlier.sessionsThrottled, responsesDone - earlier.responsesDone,
        responsesThrottled - earlier.responsesThrottled, inputTokens - earlier.inputTokens,
        audioInputTokens - earlier.audioInputTokens, outputTokens - earlier.outputTokens);
  }
}
