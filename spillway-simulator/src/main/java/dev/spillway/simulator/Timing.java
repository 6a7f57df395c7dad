package dev.spillway.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How long simulated work takes, shared by every deployment of a simulator.
 *
 * <p>Time to first token is {@code ttftBase + promptTokens × ttftPerPromptToken}; output then
 * flows at {@code outputTokensPerSecond}. A non-streamed response is sent once the whole output
 * would have been generated. {@code ptuBurst} is not a latency: it is how many seconds of
 * capacity a PTU deployment's leaky bucket holds (bucket size = capacity per minute × ptuBurst ÷
 * 60 s), i.e. how big a burst it absorbs before answering {@code 429}.
 *
 * @param ttftBase fixed part of the time to first token (default 150 ms)
 * @param ttftPerPromptToken added per prompt token (default 0.2 ms)
 * @param outputTokensPerSecond generation speed after the first token (default 80)
 * @param ptuBurst seconds of capacity held by a PTU bucket (default 10 s)
 */
public record Timing(
    Duration ttftBase, Duration ttftPerPromptToken, double outputTokensPerSecond, Duration ptuBurst) {

  public static final Duration DEFAULT_TTFT_BASE = Duration.ofMillis(150);
  public static final Duration DEFAULT_TTFT_PER_PROMPT_TOKEN = Duration.ofNanos(200_000);
  public static final double DEFAULT_OUTPUT_TOKENS_PER_SECOND = 80;
  public static final Duration DEFAULT_PTU_BURST = Duration.ofSeconds(10);

  public Timing {
    Objects.requireNonNull(ttftBase, "ttftBase");
    Objects.requireNonNull(ttftPerPromptToken, "ttftPerPromptToken");
    Objects.requireNonNull(ptuBurst, "ptuBurst");
    if (ttftBase.isNegative()) {
      throw new IllegalArgumentException("timing.ttftBase must not be negative, got " + ttftBase);
    }
    if (ttftPerPromptToken.isNegative()) {
      throw new IllegalArgumentException(
          "timing.ttftPerPromptToken must not be negative, got " + ttftPerPromptToken);
    }
    if (!(outputTokensPerSecond > 0) || Double.isInfinite(outputTokensPerSecond)) {
      throw new IllegalArgumentException(
          "timing.outputTokensPerSecond must be a positive number, got " + outputTokensPerSecond);
    }
    if (ptuBurst.isNegative() || ptuBurst.isZero()) {
      throw new IllegalArgumentException("timing.ptuBurst must be positive, got " + ptuBurst);
    }
  }

  /** 150 ms + 0.2 ms per prompt token to the first token, then 80 tokens/s; 10 s PTU burst. */
  public static Timing defaults() {
    return new Timing(
        DEFAULT_TTFT_BASE,
        DEFAULT_TTFT_PER_PROMPT_TOKEN,
        DEFAULT_OUTPUT_TOKENS_PER_SECOND,
        DEFAULT_PTU_BURST);
  }

  public Timing withTtftBase(Duration value) {
    return new Timing(value, ttftPerPromptToken, outputTokensPerSecond, ptuBurst);
  }

  public Timing withTtftPerPromptToken(Duration value) {
    return new Timing(ttftBase, value, outputTokensPerSecond, ptuBurst);
  }

  public Timing withOutputTokensPerSecond(double value) {
    return new Timing(ttftBase, ttftPerPromptToken, value, ptuBurst);
  }

  public Timing withPtuBurst(Duration value) {
    return new Timing(ttftBase, ttftPerPromptToken, outputTokensPerSecond, value);
  }

  /** Time to first token for a prompt of {@code promptTokens}, in nanoseconds. */
  public long timeToFirstTokenNanos(long promptTokens) {
    return ttftBase.toNanos() + promptTokens * ttftPerPromptToken.toNanos();
  }

  /** Nanoseconds between two consecutive output tokens. */
  public long nanosPerOutputToken() {
    return Math.round(1_000_000_000d / outputTokensPerSecond);
  }
}
