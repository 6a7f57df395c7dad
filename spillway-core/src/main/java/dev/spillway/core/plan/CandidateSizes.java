package dev.spillway.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The PTU counts a plan tries. Written as a comma-separated list of counts and ranges ({@code 0,15,20},
 * {@code 0..40}, {@code 15..100/5}: from 15 to 100 in steps of 5), or, by default, Azure's deployable sizes of the
 * model (0, the minimum, then the minimum plus whole increments) up to the first size that holds the busiest minute
 * of the traffic, and one step beyond.
 */
public final class CandidateSizes {
  /** The most candidates one plan tries; a default list that would be longer takes coarser steps. */
  public static final int MAX_CANDIDATES = 200;
  private static final int MAX_DEFAULT_CANDIDATES = 40;

  private CandidateSizes() {}

  /**
   * Reads a written list, in ascending order without repeats.
   *
   * @throws IllegalArgumentException naming the part that cannot be read, or when it holds more than {@link
   *     #MAX_CANDIDATES} counts
   */
  public static List<Integer> parse(String text) {
    TreeSet<Integer> sizes = new TreeSet<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      if (p.matches("\\d{1,6}")) {
        sizes.add(Integer.parseInt(p));
      } else if (p.matches("\\d{1,6}\\.\\.\\d{1,6}(/\\d{1,6})?")) {
        String[] range = p.split("\\.\\.|/");
        int from = Integer.parseInt(range[0]);
        int to = Integer.parseInt(range[1]);
        int step = range.length == 3 ? Integer.parseInt(range[2]) : 1;
        if (from > to || step < 1) {
          throw new IllegalArgumentException("candidates: \"" + p + "\" is an empty range (write from..to or from..to/step"
              + " with from <= to and a step of at least 1)");
        }
        for (long n = from; n <= to && sizes.size() <= MAX_CANDIDATES; n += step) {
          sizes.add((int) n);
        }
      } else {
        throw new IllegalArgumentException("candidates must be PTU counts and ranges such as 0,15,20 or 0..40 or"
            + " 15..100/5, got \"" + p + "\"");
      }
      if (sizes.size() > MAX_CANDIDATES) {
        throw new IllegalArgumentException("candidates: at most " + MAX_CANDIDATES + " PTU counts, got more in \""
            + text.strip() + "\"");
      }
    }
    return List.copyOf(sizes);
  }

  /**
   * Azure's deployable sizes for {@code throughput} from 0 up to one step past the size that holds {@code
   * peakConvertedTokensPerMinute}, with coarser steps (a multiple of the increment) when that would be more than 40.
   */
  public static List<Integer> deployable(PtuThroughput throughput, double peakConvertedTokensPerMinute) {
    int min = throughput.minimumPtu();
    int increment = throughput.ptuIncrement();
    long needed = (long) Math.ceil(peakConvertedTokensPerMinute / throughput.inputTokensPerMinutePerPtu());
    long steps = needed <= min ? 1 : (needed - min + increment - 1) / increment + 1;
    long stride = Math.max(1, (steps + MAX_DEFAULT_CANDIDATES - 2) / (MAX_DEFAULT_CANDIDATES - 1));
    List<Integer> sizes = new ArrayList<>();
    sizes.add(0);
    for (long k = 0; k <= steps + stride - 1; k += stride) {
      sizes.add(Math.toIntExact(min + k * increment));
    }
    return List.copyOf(sizes);
  }
}
