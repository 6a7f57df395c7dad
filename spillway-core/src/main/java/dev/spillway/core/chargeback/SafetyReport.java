package dev.spillway.core.chargeback;

import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.TimeBucket;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A computed safety report: per time bucket the requests and the content guard's verdicts per category with the
 * share of requests blocked, the period's totals, and the end users whose requests were flagged most often.
 *
 * <p>The end users are the ledger's view of possibly abusive callers, a simple one: per end user of a consumer, the
 * share of their requests the guard flagged (logged, masked or blocked) over the whole period. Only end users with at
 * least {@value #MIN_REQUESTS} requests in the period are ranked (fewer say too little), highest share first (ties:
 * more flagged, then more requests, then by consumer and id), at most {@value #TOP_END_USERS} shown. Requests that
 * named no end user count as one end user {@code ""} per consumer ({@link ReportRow#NONE} in print), so a consumer
 * whose unnamed traffic is often flagged shows too. The gateway's live abuse score ({@code /admin/safety}) weighs
 * recent findings; this is the ledger's after-the-fact count.
 *
 * @param period what it covers
 * @param bucket the width of the buckets
 * @param buckets the buckets that had requests, in time order (a bucket the period cuts counts only its part)
 * @param totals the sums of {@code buckets}, as one bucket starting at the period's start
 * @param topEndUsers the ranked end users, at most {@value #TOP_END_USERS}, in rank order
 * @param rankedEndUsers how many end users were ranked (flagged at least once, at least {@value #MIN_REQUESTS}
 *     requests), shown or not
 */
public record SafetyReport(
    ReportPeriod period,
    TimeBucket bucket,
    List<SafetyTotals.Bucket> buckets,
    SafetyTotals.Bucket totals,
    List<SafetyTotals.EndUserCounts> topEndUsers,
    long rankedEndUsers) {
  /** Fewest requests in the period for an end user to be ranked. */
  public static final long MIN_REQUESTS = 10;
  /** Most end users a report shows. */
  public static final int TOP_END_USERS = 20;
  /** Decimals of a share. */
  static final int SHARE_SCALE = 3;

  public SafetyReport {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(totals, "totals");
    buckets = List.copyOf(buckets);
    topEndUsers = List.copyOf(topEndUsers);
  }

  /** Blocked over all requests of a bucket; empty without requests. */
  public static Optional<BigDecimal> blockedShare(SafetyTotals.Bucket b) {
    return share(b.blocked(), b.requests());
  }

  /** Flagged over all requests of an end user; empty without requests. */
  public static Optional<BigDecimal> flaggedShare(SafetyTotals.EndUserCounts u) {
    return share(u.flagged(), u.requests());
  }

  static Optional<BigDecimal> share(long part, long whole) {
    if (whole <= 0) {
      return Optional.empty();
    }
    return Optional.of(BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), SHARE_SCALE, RoundingMode.HALF_UP));
  }
}
