package dev.spillway.core.routing.station;

import java.util.Optional;

/**
 * One replica's learned drain rate of one PTU deployment, as it tells the others ({@link DrainRateStore}). Immutable.
 *
 * @param tokensPerMinute the rate this replica measured: its own share of the deployment's drain (see {@link
 *     DrainSharing})
 * @param samples how many measurements the rate rests on ({@link DrainModel#rateSamples})
 * @param atEpochMillis when the replica published it, wall clock
 */
public record DrainEstimate(double tokensPerMinute, int samples, long atEpochMillis) {

  public DrainEstimate {
    if (!(tokensPerMinute > 0) || Double.isInfinite(tokensPerMinute) || samples < 1) {
      throw new IllegalArgumentException("an estimate needs a positive rate and at least one sample");
    }
  }

  /** The estimate as text: {@code <tokensPerMinute> <samples> <atEpochMillis>}. */
  public String text() {
    return tokensPerMinute + " " + samples + " " + atEpochMillis;
  }

  /** An estimate read back from {@link #text}; empty when the text is not one (a damaged or foreign value). */
  public static Optional<DrainEstimate> parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split(" ");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DrainEstimate(Double.parseDouble(parts[0]), Integer.parseInt(parts[1]),
          Long.parseLong(parts[2])));
    } catch (IllegalArgumentException damaged) {
      return Optional.empty();
    }
  }
}
