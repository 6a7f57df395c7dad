package dev.spillway.bench;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When each request of an open-loop load is due: a rate that is constant within each phase, the phases
 * repeating as one cycle (a constant rate is a single phase). Pure and immutable.
 *
 * <p>Arrival {@code i} is due when the rate integrated from the start reaches {@code i}: inside a phase
 * of rate {@code r} arrivals are exactly {@code 1/r} apart, and the fraction of an arrival a phase leaves
 * over carries into the next, so a cycle offers exactly {@code Σ rate × duration} arrivals on average
 * even when that is not a whole number (rounding each phase up or down would shift a low phase's load
 * by up to one request). There is no randomness: two runs offer the same arrivals at the same offsets.
 */
final class RateSchedule {
  /**
   * One stretch of constant rate.
   *
   * @param ratePerSecond arrivals per second, 0 or more
   * @param duration how long it lasts in each cycle, positive
   */
  record Phase(double ratePerSecond, Duration duration) {
    Phase {
      Objects.requireNonNull(duration, "duration");
      if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
        throw new IllegalArgumentException("a phase's rate must be 0 or more, was " + ratePerSecond);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("a phase must last a positive time, was " + duration);
      }
    }

    double arrivals() {
      return ratePerSecond * duration.toNanos() / 1e9;
    }
  }

  private final List<Phase> phases;
  private final long cycleNanos;
  private final double arrivalsPerCycle;

  private RateSchedule(List<Phase> phases) {
    this.phases = List.copyOf(phases);
    if (this.phases.isEmpty()) {
      throw new IllegalArgumentException("a schedule needs at least one phase");
    }
    this.cycleNanos = this.phases.stream().mapToLong(p -> p.duration().toNanos()).sum();
    this.arrivalsPerCycle = this.phases.stream().mapToDouble(Phase::arrivals).sum();
    if (!(arrivalsPerCycle > 0)) {
      throw new IllegalArgumentException("a schedule must offer some load: every phase has rate 0");
    }
  }

  /** {@code ratePerSecond} arrivals per second, evenly spaced, for ever. */
  static RateSchedule constant(double ratePerSecond) {
    return new RateSchedule(List.of(new Phase(ratePerSecond, Duration.ofSeconds(1))));
  }

  /** {@code phases} in order, repeated for ever. */
  static RateSchedule cycle(List<Phase> phases) {
    return new RateSchedule(phases);
  }

  List<Phase> phases() {
    return phases;
  }

  /** One pass through every phase. */
  Duration cycle() {
    return Duration.ofNanos(cycleNanos);
  }

  /** The same shape with every rate multiplied by {@code factor} (positive). */
  RateSchedule scaled(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be positive, was " + factor);
    }
    return new RateSchedule(phases.stream().map(p -> new Phase(p.ratePerSecond() * factor, p.duration())).toList());
  }

  /** Arrivals per second averaged over a cycle. */
  double meanRatePerSecond() {
    return arrivalsPerCycle * 1e9 / cycleNanos;
  }

  /** Nanoseconds from the start at which arrival {@code index} (0 first) is due; never decreasing in {@code index}. */
  long offsetNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative, was " + index);
    }
    long fullCycles = (long) Math.floor(index / arrivalsPerCycle);
    double left = Math.max(0, index - fullCycles * arrivalsPerCycle);
    long at = fullCycles * cycleNanos;
    for (Phase p : phases) {
      double inPhase = p.arrivals();
      if (left < inPhase) {
        return at + (long) (left / p.ratePerSecond() * 1e9);
      }
      left -= inPhase;
      at += p.duration().toNanos();
    }
    return at; // floating-point rounding at a cycle's very end: the next cycle's start
  }
}
