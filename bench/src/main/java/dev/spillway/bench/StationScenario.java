package dev.spillway.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The loads {@link StationBenchmark} offers, each as a {@link RateSchedule} in multiples of the PTU
 * capacity C (a rate of 1.2 means 1.2 × C tokens per minute), in the order they run.
 *
 * <p>Steady loads show what each configuration does with a PTU that is always short (or, at 0.8 × C,
 * never): how busy it keeps the PTU, how many PTU 429s it provokes and what it adds to latency. The
 * bursty ones are why a gateway would hold a request for the PTU at all: a short burst against a PTU
 * that absorbs almost nothing by itself (a bucket of two requests) can be served by the PTU a moment
 * later instead of by PAYG; a long burst cannot. The critical mix checks that a scarce PTU goes to the
 * consumer whose priority class says so.
 */
enum StationScenario {
  STEADY_0_8("steady-0.8", "steady 0.8 × C", Kind.STEADY, constant(0.8)),
  STEADY_1_2("steady-1.2", "steady 1.2 × C", Kind.STEADY, constant(1.2)),
  STEADY_2("steady-2", "steady 2 × C", Kind.STEADY, constant(2)),
  STEADY_10("steady-10", "steady 10 × C", Kind.STEADY, constant(10)),
  BURSTY_SHORT("bursty-short", "3 × C for 1 s, 0.25 × C for 3 s", Kind.SHORT_BURSTS,
      RateSchedule.cycle(List.of(phase(3, 1), phase(0.25, 3)))),
  BURSTY_LONG("bursty-long", "2.5 × C for 8 s, 0.3 × C for 12 s", Kind.LONG_BURSTS,
      RateSchedule.cycle(List.of(phase(2.5, 8), phase(0.3, 12)))),
  CRITICAL_MIX("critical-mix", "steady 2 × C, a third critical", Kind.CRITICAL_MIX, constant(2));

  /** What a scenario is for, which decides its warm-up, its PTU bucket and its targets. */
  enum Kind { STEADY, SHORT_BURSTS, LONG_BURSTS, CRITICAL_MIX }

  /** Every {@value}rd request of the critical mix comes from the critical consumer (index 0, 3, 6, ...). */
  static final int CRITICAL_EVERY = 3;
  /** The short-burst PTU's bucket holds this many requests' worth of tokens: hardly any burst of its own. */
  static final int SMALL_BUCKET_REQUESTS = 2;

  private final String id;
  private final String label;
  private final Kind kind;
  private final RateSchedule loadInC;

  StationScenario(String id, String label, Kind kind, RateSchedule loadInC) {
    this.id = id;
    this.label = label;
    this.kind = kind;
    this.loadInC = loadInC;
  }

  /** The flag and JSON spelling. */
  String id() {
    return id;
  }

  /** How the report names it. */
  String label() {
    return label;
  }

  Kind kind() {
    return kind;
  }

  /** The offered load over time, in multiples of C; {@link RateSchedule#scaled} turns it into requests per second. */
  RateSchedule loadInC() {
    return loadInC;
  }

  /** A load that repeats in cycles: its window is whole cycles and its warm-up one cycle. */
  boolean bursty() {
    return kind == Kind.SHORT_BURSTS || kind == Kind.LONG_BURSTS;
  }

  /**
   * Whether the PTU is offered more than it can take for the whole run, so that its bucket is full in
   * steady state: the run fills it before the warm-up instead of waiting (at 1.2 × C a 10 s bucket
   * takes 50 s to fill), so that the window does not count the bucket's burst as throughput.
   */
  boolean startsWithFullBucket() {
    return !bursty() && loadInC.meanRatePerSecond() > 1;
  }

  /** True for the requests (by arrival index) that the critical consumer sends. */
  boolean critical(long index) {
    return kind == Kind.CRITICAL_MIX && index % CRITICAL_EVERY == 0;
  }

  /** The measured window: {@code steady} for a steady load, else whole cycles, at most {@code bursty} but at least one. */
  Duration window(Duration steady, Duration bursty) {
    if (!bursty()) {
      return steady;
    }
    long cycle = loadInC.cycle().toNanos();
    return Duration.ofNanos(Math.max(1, bursty.toNanos() / cycle) * cycle);
  }

  /**
   * The load offered before the window: {@code steady} for a steady load, else whole cycles covering at least the
   * station's demand window (60 s), so that a fresh gateway's station judges bursts from a full window of them, as a
   * gateway that has been running does (on a shorter history, the burst in progress weighs more).
   */
  Duration warmup(Duration steady) {
    if (!bursty()) {
      return steady;
    }
    long cycle = loadInC.cycle().toNanos();
    long window = dev.spillway.core.config.PtuStation.DEFAULT_DEMAND_WINDOW.toNanos();
    return Duration.ofNanos(Math.max(1, (window + cycle - 1) / cycle) * cycle);
  }

  static StationScenario fromId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown scenario '" + id + "'; expected one of "
            + String.join(", ", Arrays.stream(values()).map(StationScenario::id).toList())));
  }

  private static RateSchedule constant(double timesC) {
    return RateSchedule.constant(timesC);
  }

  private static RateSchedule.Phase phase(double timesC, long seconds) {
    return new RateSchedule.Phase(timesC, Duration.ofSeconds(seconds));
  }
}
