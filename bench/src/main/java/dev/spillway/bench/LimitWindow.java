package dev.spillway.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One fixed UTC minute of the limit, as the clients saw it: the requests admitted in it and their
 * tokens.
 *
 * <p><b>Which window a request belongs to.</b> A refusal names its window ("resets at" in the
 * message), so 429s are exact. A 200 belongs to the window of its admission, which happens a few
 * milliseconds after the client sent it; it is placed by its send time, except that a 200 sent in
 * the last {@value #EDGE_MILLIS} ms of a window whose counter, right after its reservation, was
 * below half the limit ({@code x-ratelimit-remaining-tokens}) is placed in the next window: it was
 * admitted just after the boundary, against a fresh counter. Those are counted in {@link #movedIn}.
 *
 * @param startMillis the window's first millisecond (a whole UTC minute)
 * @param complete true when the clients sent throughout the window
 * @param ok 200 answers
 * @param refused 429 answers
 * @param other any other status or a transport failure
 * @param realTokens sum of {@code usage.total_tokens} of the 200 answers: the admitted tokens
 * @param reservedTokens sum of what the gateway reserved for those requests at admission
 * @param okWithoutUsage 200 answers that carried no usage (not in {@code realTokens})
 * @param consumedMismatch 200 answers whose {@code x-spillway-tokens-consumed} differed from their usage
 * @param peakCounter the highest counter the gateway reported right after a reservation (limit
 *     minus the lowest {@code x-ratelimit-remaining-tokens}); -1 when no header was seen
 * @param movedIn 200s sent just before this window but admitted in it (see above)
 */
public record LimitWindow(
    long startMillis,
    boolean complete,
    long ok,
    long refused,
    long other,
    long realTokens,
    long reservedTokens,
    long okWithoutUsage,
    long consumedMismatch,
    long peakCounter,
    long movedIn) {

  static final long MINUTE_MILLIS = 60_000;
  static final long EDGE_MILLIS = 250;

  public Instant start() {
    return Instant.ofEpochMilli(startMillis);
  }

  /** Admitted real tokens ÷ the limit. */
  public double ratio(long limit) {
    return realTokens / (double) limit;
  }

  /** Tokens reserved at admission ÷ the limit. */
  public double reservedRatio(long limit) {
    return reservedTokens / (double) limit;
  }

  /**
   * Groups samples into their minute windows, in time order.
   *
   * @param sendStartMillis when the clients started sending
   * @param sendEndMillis when they stopped (nothing was sent at or after it)
   */
  static List<LimitWindow> of(
      List<ClosedLoopClients.Sample> samples, long limit, long sendStartMillis, long sendEndMillis) {
    TreeMap<Long, Acc> windows = new TreeMap<>();
    for (ClosedLoopClients.Sample s : samples) {
      long start = floorMinute(s.sentMillis());
      boolean moved = false;
      if (s.status() == 429 && s.windowEndMillis() > 0) {
        start = s.windowEndMillis() - MINUTE_MILLIS;
      } else if (s.status() == 200
          && start + MINUTE_MILLIS - s.sentMillis() <= EDGE_MILLIS
          && s.receivedMillis() >= start + MINUTE_MILLIS
          && s.remainingTokens() >= 0
          && limit - s.remainingTokens() < limit / 2.0) {
        start += MINUTE_MILLIS;
        moved = true;
      }
      Acc a = windows.computeIfAbsent(start, k -> new Acc());
      switch (s.status()) {
        case 200 -> {
          a.ok++;
          if (s.realTokens() >= 0) {
            a.real += s.realTokens();
          } else {
            a.withoutUsage++;
          }
          if (s.consumedHeader() >= 0 && s.realTokens() >= 0 && s.consumedHeader() != s.realTokens()) {
            a.mismatch++;
          }
          a.reserved += s.reservedTokens();
          if (s.remainingTokens() >= 0) {
            a.peak = Math.max(a.peak, limit - s.remainingTokens());
          }
          if (moved) {
            a.moved++;
          }
        }
        case 429 -> a.refused++;
        default -> a.other++;
      }
    }
    List<LimitWindow> out = new ArrayList<>(windows.size());
    windows.forEach(
        (start, a) ->
            out.add(
                new LimitWindow(
                    start,
                    sendStartMillis <= start && sendEndMillis >= start + MINUTE_MILLIS,
                    a.ok,
                    a.refused,
                    a.other,
                    a.real,
                    a.reserved,
                    a.withoutUsage,
                    a.mismatch,
                    a.peak,
                    a.moved)));
    return out;
  }

  static long floorMinute(long epochMillis) {
    return Math.floorDiv(epochMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
  }

  private static final class Acc {
    long ok;
    long refused;
    long other;
    long real;
    long reserved;
    long withoutUsage;
    long mismatch;
    long peak = -1;
    long moved;
  }
}
