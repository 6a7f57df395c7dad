package dev.spillway.simulator;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults a {@link FaultConfig} injects on its own, drawn one request at a time: draw {@code n} depends only on the
 * seed, the name it was made for and {@code n}, so a run is reproducible for a given order of arrivals. Thread-safe.
 */
final class FaultSequence {
  private final FaultConfig faults;
  private final long seed;
  private final AtomicLong draws = new AtomicLong();

  /** The sequence of {@code faults} for {@code name} (a deployment, or the Content Safety resource) under {@code seed}. */
  FaultSequence(FaultConfig faults, long seed, String name) {
    this.faults = faults;
    this.seed = RequestSeed.of(seed, "faults:" + name);
  }

  /** The fault for the next request, if the dice say so. */
  Optional<FaultKind> draw() {
    if (!faults.enabled()) {
      return Optional.empty();
    }
    SplittableRandom random = new SplittableRandom(RequestSeed.of(seed, draws.getAndIncrement()));
    if (random.nextDouble() >= faults.probability()) {
      return Optional.empty();
    }
    return Optional.of(faults.kinds().get(random.nextInt(faults.kinds().size())));
  }
}
