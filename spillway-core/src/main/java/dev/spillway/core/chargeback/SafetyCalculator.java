package dev.spillway.core.chargeback;

import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.SafetyTotals.CategoryCounts;
import dev.spillway.core.ledger.SafetyTotals.EndUserCounts;
import dev.spillway.core.ledger.TimeBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes a {@link SafetyReport} from the ledger's safety counts: the buckets as the store counted them, their sums,
 * and the end users ranked by flagged share (see {@link SafetyReport} for the rule). Pure and stateless.
 */
public final class SafetyCalculator {
  /**
   * Highest flagged share first, compared exactly (as fractions, not rounded shares); then more flagged, more
   * requests, then consumer and end user in name order with none last.
   */
  static final Comparator<EndUserCounts> RANK = ((Comparator<EndUserCounts>) SafetyCalculator::compareShares)
      .thenComparing(EndUserCounts::flagged, Comparator.reverseOrder())
      .thenComparing(EndUserCounts::requests, Comparator.reverseOrder())
      .thenComparing(u -> orNone(u.consumer()), ChargebackCalculator.ORDER)
      .thenComparing(u -> orNone(u.endUser()), ChargebackCalculator.ORDER);

  private SafetyCalculator() {}

  /** The report of {@code counts} (the ledger's over {@code period} in buckets of {@code bucket}). */
  public static SafetyReport report(SafetyTotals counts, ReportPeriod period, TimeBucket bucket) {
    long requests = 0;
    Map<String, List<CategoryCounts>> categories = new TreeMap<>();
    for (SafetyTotals.Bucket b : counts.buckets()) {
      requests += b.requests();
      for (CategoryCounts c : b.categories()) {
        categories.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c);
      }
    }
    List<CategoryCounts> totals = new ArrayList<>();
    categories.forEach((name, all) -> totals.add(new CategoryCounts(name,
        all.stream().mapToLong(CategoryCounts::logged).sum(), all.stream().mapToLong(CategoryCounts::masked).sum(),
        all.stream().mapToLong(CategoryCounts::blocked).sum(),
        all.stream().flatMap(c -> c.severities().stream()).toList())));

    List<EndUserCounts> ranked = counts.endUsers().stream()
        .filter(u -> u.requests() >= SafetyReport.MIN_REQUESTS && u.flagged() > 0)
        .sorted(RANK)
        .toList();
    return new SafetyReport(period, bucket, counts.buckets(),
        new SafetyTotals.Bucket(period.from(), requests, totals),
        ranked.subList(0, Math.min(ranked.size(), SafetyReport.TOP_END_USERS)), ranked.size());
  }

  /** b's flagged/requests against a's: the higher share first; exact in 128 bits. */
  private static int compareShares(EndUserCounts a, EndUserCounts b) {
    return compareProducts(b.flagged(), a.requests(), a.flagged(), b.requests());
  }

  /** The sign of {@code x1 * y1 - x2 * y2} for non-negative longs, without overflow. */
  static int compareProducts(long x1, long y1, long x2, long y2) {
    int high = Long.compare(Math.multiplyHigh(x1, y1), Math.multiplyHigh(x2, y2));
    return high != 0 ? high : Long.compareUnsigned(x1 * y1, x2 * y2);
  }

  private static String orNone(String key) {
    return key.isEmpty() ? ReportRow.NONE : key;
  }
}
