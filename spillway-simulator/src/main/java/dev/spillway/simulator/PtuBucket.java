package dev.spillway.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Provisioned-throughput capacity as a leaky bucket measured in tokens.
 *
 * <p>Each admitted request pours its cost (prompt tokens + expected output tokens) into the
 * bucket, which drains continuously at {@code capacityTokensPerMinute / 60} tokens per second. The
 * bucket holds {@code capacityTokensPerMinute × burst / 60 s} tokens, i.e. {@code burst} worth of
 * capacity (10 s by default). Utilization is {@code level ÷ size × 100}. A request is admitted when
 * it fits ({@code level + cost ≤ size}); otherwise it is rejected with the time the bucket needs
 * to drain enough for it. A request bigger than the whole bucket is admitted only into an empty
 * bucket (so it is served eventually, pushing utilization past 100 %), and its wait is the time to
 * empty.
 *
 * <p>{@link #decide} is pure; {@link #tryAdmit} applies it to the shared state with
 * compare-and-swap and is thread-safe. Times are {@link dev.spillway.core.time.Ticker} nanos; a
 * reading older than the state's is treated as "no time passed".
 */
final class PtuBucket implements DeploymentLimiter {
  static final String UTILIZATION_HEADER = "azure-openai-deployment-utilization";

  /** Tokens in the bucket at ticker reading {@code atNanos}. */
  record State(double levelTokens, long atNanos) {}

  /** The outcome of {@link #decide}: the state to store and, when rejected, the wait. */
  record Decision(boolean admitted, State next, long retryAfterNanos, double utilizationPercent) {}

  private final long capacityTokensPerMinute;
  private final double sizeTokens;
  private final double drainTokensPerNano;
  private final AtomicReference<State> state;

  /**
   * @param capacityTokensPerMinute drain rate × 60 s; must be positive
   * @param burst how much capacity the bucket holds, as time; must be positive
   * @param nowNanos current ticker reading; the bucket starts empty
   */
  PtuBucket(long capacityTokensPerMinute, Duration burst, long nowNanos) {
    if (capacityTokensPerMinute <= 0 || burst.isNegative() || burst.isZero()) {
      throw new IllegalArgumentException("capacity and burst must be positive");
    }
    this.capacityTokensPerMinute = capacityTokensPerMinute;
    this.drainTokensPerNano = capacityTokensPerMinute / 60e9;
    this.sizeTokens = capacityTokensPerMinute * (double) burst.toNanos() / 60e9;
    this.state = new AtomicReference<>(new State(0, nowNanos));
  }

  /** How many tokens the bucket holds when full. */
  double sizeTokens() {
    return sizeTokens;
  }

  long capacityTokensPerMinute() {
    return capacityTokensPerMinute;
  }

  /** {@code s} drained up to {@code nowNanos}. Pure. */
  State drain(State s, long nowNanos) {
    long elapsed = nowNanos - s.atNanos();
    if (elapsed <= 0) {
      return s;
    }
    return new State(Math.max(0, s.levelTokens() - elapsed * drainTokensPerNano), nowNanos);
  }

  /** Whether {@code costTokens} fits into {@code s} at {@code nowNanos}, and the resulting state. Pure. */
  Decision decide(State s, long costTokens, long nowNanos) {
    State drained = drain(s, nowNanos);
    double level = drained.levelTokens();
    boolean fits = level + costTokens <= sizeTokens || (costTokens > sizeTokens && level <= 0);
    if (fits) {
      State next = new State(level + costTokens, drained.atNanos());
      return new Decision(true, next, 0, percent(next.levelTokens()));
    }
    double excess = costTokens > sizeTokens ? level : level + costTokens - sizeTokens;
    // Multiply before dividing, and ignore sub-nanosecond noise, so whole-token waits come out exact.
    long wait = (long) Math.ceil(excess * 60e9 / capacityTokensPerMinute - 1e-3);
    return new Decision(false, drained, Math.max(1, wait), percent(level));
  }

  /** Utilization of {@code s} at {@code nowNanos}, in percent. Pure. */
  double utilizationPercent(State s, long nowNanos) {
    return percent(drain(s, nowNanos).levelTokens());
  }

  @Override
  public Admission tryAdmit(long costTokens, long nowNanos) {
    while (true) {
      State current = state.get();
      Decision d = decide(current, costTokens, nowNanos);
      if (d.next() == current || state.compareAndSet(current, d.next())) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(UTILIZATION_HEADER, formatPercent(d.utilizationPercent()));
        return d.admitted()
            ? Admission.admit(headers)
            : Admission.reject(d.retryAfterNanos(), headers, "the provisioned throughput");
      }
    }
  }

  @Override
  public double utilizationPercent(long nowNanos) {
    return utilizationPercent(state.get(), nowNanos);
  }

  private double percent(double level) {
    return level / sizeTokens * 100;
  }

  /** {@code 87.5%}: one decimal, as Azure sends it. */
  static String formatPercent(double percent) {
    return String.format(Locale.ROOT, "%.1f%%", percent);
  }
}
