package dev.spillway.core.plan;

import java.util.Arrays;
import java.util.Objects;

/**
 * The recorded requests of one model over a period, as a replay needs them: when each arrived (nanoseconds after the
 * period's start, in order) and its prompt, cached and completion tokens. Held in primitive arrays, four longs a
 * request, so a day of a busy gateway (a million requests) takes about 32 MB and nothing else of the ledger is kept.
 * Immutable once built.
 */
public final class ArrivalSeries {
  private final String model;
  private final long periodNanos;
  private final long[] arrivalNanos;
  private final long[] promptTokens;
  private final long[] cachedTokens;
  private final long[] completionTokens;

  private ArrivalSeries(String model, long periodNanos, long[] arrival, long[] prompt, long[] cached, long[] completion) {
    this.model = model;
    this.periodNanos = periodNanos;
    this.arrivalNanos = arrival;
    this.promptTokens = prompt;
    this.cachedTokens = cached;
    this.completionTokens = completion;
  }

  /**
   * @param model the logical model the requests were for
   * @param periodNanos the length of the period they were recorded in; positive
   */
  public static Builder builder(String model, long periodNanos) {
    return new Builder(model, periodNanos);
  }

  public String model() {
    return model;
  }

  /** The length of the recorded period: a candidate's PAYG cost is scaled from it to a month. */
  public long periodNanos() {
    return periodNanos;
  }

  public int size() {
    return arrivalNanos.length;
  }

  /** When request {@code i} arrived, in nanoseconds after the period's start; never less than request {@code i-1}'s. */
  public long arrivalNanos(int i) {
    return arrivalNanos[i];
  }

  public long promptTokens(int i) {
    return promptTokens[i];
  }

  public long cachedTokens(int i) {
    return cachedTokens[i];
  }

  public long completionTokens(int i) {
    return completionTokens[i];
  }

  /** Prompt plus completion tokens of request {@code i}. */
  public long tokens(int i) {
    return promptTokens[i] + completionTokens[i];
  }

  /**
   * The most converted tokens (see {@link PtuThroughput#convertedTokens}) that arrived within one minute of the period,
   * counted in whole minutes from its start: what a PTU deployment must serve to never spill in the busiest minute.
   */
  public double peakConvertedTokensPerMinute(PtuThroughput throughput) {
    double peak = 0;
    double minute = 0;
    long minuteIndex = -1;
    for (int i = 0; i < size(); i++) {
      long index = arrivalNanos[i] / 60_000_000_000L;
      if (index != minuteIndex) {
        minuteIndex = index;
        minute = 0;
      }
      minute += throughput.convertedTokens(promptTokens[i], cachedTokens[i], completionTokens[i]);
      peak = Math.max(peak, minute);
    }
    return peak;
  }

  /** Collects requests in any order; {@link #build()} sorts them by arrival. Not thread-safe; use it once. */
  public static final class Builder {
    private final String model;
    private final long periodNanos;
    private long[] arrival = new long[1024];
    private long[] prompt = new long[1024];
    private long[] cached = new long[1024];
    private long[] completion = new long[1024];
    private int size;
    private boolean sorted = true;

    private Builder(String model, long periodNanos) {
      this.model = Objects.requireNonNull(model, "model");
      if (periodNanos <= 0) {
        throw new IllegalArgumentException("the period must be positive");
      }
      this.periodNanos = periodNanos;
    }

    /**
     * @param arrivalNanos nanoseconds after the period's start, within {@code [0, period)}
     * @param cachedTokens prompt tokens served from the prompt cache; more than {@code promptTokens} counts as all of them
     */
    public Builder add(long arrivalNanos, long promptTokens, long cachedTokens, long completionTokens) {
      if (arrivalNanos < 0 || arrivalNanos >= periodNanos) {
        throw new IllegalArgumentException("arrival " + arrivalNanos + " ns is outside the period of " + periodNanos + " ns");
      }
      if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0) {
        throw new IllegalArgumentException("token counts must not be negative");
      }
      if (size == arrival.length) {
        int grown = size * 2;
        arrival = Arrays.copyOf(arrival, grown);
        prompt = Arrays.copyOf(prompt, grown);
        cached = Arrays.copyOf(cached, grown);
        completion = Arrays.copyOf(completion, grown);
      }
      sorted &= size == 0 || arrival[size - 1] <= arrivalNanos;
      arrival[size] = arrivalNanos;
      prompt[size] = promptTokens;
      cached[size] = Math.min(cachedTokens, promptTokens);
      completion[size] = completionTokens;
      size++;
      return this;
    }

    public int size() {
      return size;
    }

    public ArrivalSeries build() {
      long[] a = Arrays.copyOf(arrival, size);
      long[] p = Arrays.copyOf(prompt, size);
      long[] c = Arrays.copyOf(cached, size);
      long[] o = Arrays.copyOf(completion, size);
      if (!sorted) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
          order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(arrival[x], arrival[y]));
        for (int i = 0; i < size; i++) {
          a[i] = arrival[order[i]];
          p[i] = prompt[order[i]];
          c[i] = cached[order[i]];
          o[i] = completion[order[i]];
        }
      }
      return new ArrivalSeries(model, periodNanos, a, p, c, o);
    }
  }
}
