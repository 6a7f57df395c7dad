package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.TimeBucket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two safety queries both readers run, and the mapping of their rows to {@link SafetyTotals}. The database
 * counts: rows per (bucket, category, severity) with their logged, masked and blocked ones (at most eight severities
 * per category, so a bucket comes back in few rows), and rows per (consumer, end user,
 * category) of the end users flagged at least once (a window sum over each end user's categories picks them), so
 * only sums come back. Only the bucket's start and the time column differ between the stores.
 *
 * <p>A verdict this version does not know counts in a bucket's requests but as neither logged, masked nor blocked, and
 * never as flagged. Categories are sorted here, not by the database, so both stores give the same order whatever
 * their collation.
 */
final class SafetyRows {
  private static final String FLAGGED = "CASE WHEN safety_verdict IN ('logged', 'masked', 'blocked') THEN 1 ELSE 0 END";

  private SafetyRows() {}

  /**
   * The per-bucket query.
   *
   * @param bucketStart an SQL expression for the epoch milliseconds of the start of a row's bucket
   * @param time the store's time column; the query's two parameters are the period's bounds
   */
  static String buckets(String bucketStart, String time) {
    return "SELECT " + bucketStart + ", safety_category, COUNT(*),"
        + " SUM(CASE WHEN safety_verdict = 'logged' THEN 1 ELSE 0 END),"
        + " SUM(CASE WHEN safety_verdict = 'masked' THEN 1 ELSE 0 END),"
        + " SUM(CASE WHEN safety_verdict = 'blocked' THEN 1 ELSE 0 END), safety_severity"
        + " FROM usage WHERE " + time + " >= ? AND " + time + " < ? GROUP BY 1, 2, 7";
  }

  /** The per-end-user query, with {@code time} the store's time column; its two parameters are the period's bounds. */
  static String endUsers(String time) {
    return "SELECT c, u, category, n, flagged, blocked FROM (SELECT COALESCE(consumer, '') AS c, end_user AS u,"
        + " safety_category AS category, COUNT(*) AS n, SUM(" + FLAGGED + ") AS flagged,"
        + " SUM(CASE WHEN safety_verdict = 'blocked' THEN 1 ELSE 0 END) AS blocked,"
        + " SUM(SUM(" + FLAGGED + ")) OVER (PARTITION BY COALESCE(consumer, ''), end_user) AS user_flagged"
        + " FROM usage WHERE " + time + " >= ? AND " + time + " < ?"
        + " GROUP BY COALESCE(consumer, ''), end_user, safety_category) AS per_category WHERE user_flagged > 0";
  }

  /** Sets a statement's two period parameters. */
  @FunctionalInterface
  interface Bounds {
    void set(PreparedStatement ps) throws SQLException;
  }

  /** Runs both queries on {@code c} (the caller sees that they read one snapshot) and maps their rows. */
  static SafetyTotals read(Connection c, String bucketsSql, String endUsersSql, Bounds bounds) throws SQLException {
    List<SafetyTotals.Bucket> buckets;
    try (PreparedStatement ps = c.prepareStatement(bucketsSql)) {
      bounds.set(ps);
      buckets = buckets(ps);
    }
    try (PreparedStatement ps = c.prepareStatement(endUsersSql)) {
      bounds.set(ps);
      return new SafetyTotals(buckets, endUsers(ps));
    }
  }

  private static List<SafetyTotals.Bucket> buckets(PreparedStatement ps) throws SQLException {
    Map<Long, Long> requests = new TreeMap<>();
    // bucket start -> category -> its flagged rows per severity
    Map<Long, Map<String, List<SafetyTotals.SeverityCounts>>> categories = new TreeMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long start = rs.getLong(1);
        requests.merge(start, rs.getLong(3), Long::sum);
        Map<String, List<SafetyTotals.SeverityCounts>> ofBucket =
            categories.computeIfAbsent(start, k -> new TreeMap<>());
        SafetyTotals.SeverityCounts counts =
            new SafetyTotals.SeverityCounts(rs.getInt(7), rs.getLong(4), rs.getLong(5), rs.getLong(6));
        if (counts.flagged() > 0) {
          ofBucket.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(counts);
        }
      }
    }
    List<SafetyTotals.Bucket> out = new ArrayList<>();
    for (Map.Entry<Long, Long> e : requests.entrySet()) {
      List<SafetyTotals.CategoryCounts> list = new ArrayList<>();
      categories.get(e.getKey()).forEach((category, severities) -> list.add(new SafetyTotals.CategoryCounts(category,
          severities.stream().mapToLong(SafetyTotals.SeverityCounts::logged).sum(),
          severities.stream().mapToLong(SafetyTotals.SeverityCounts::masked).sum(),
          severities.stream().mapToLong(SafetyTotals.SeverityCounts::blocked).sum(), severities)));
      out.add(new SafetyTotals.Bucket(Instant.ofEpochMilli(e.getKey()), e.getValue(), list));
    }
    return out;
  }

  private record Key(String consumer, String endUser) {}

  private static final class Sums {
    long requests;
    long flagged;
    long blocked;
    final Map<String, Long> byCategory = new TreeMap<>();
  }

  private static List<SafetyTotals.EndUserCounts> endUsers(PreparedStatement ps) throws SQLException {
    Map<Key, Sums> users = new LinkedHashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Sums s = users.computeIfAbsent(new Key(rs.getString(1), rs.getString(2)), k -> new Sums());
        long flagged = rs.getLong(5);
        s.requests += rs.getLong(4);
        s.flagged += flagged;
        s.blocked += rs.getLong(6);
        if (flagged > 0) {
          s.byCategory.merge(rs.getString(3), flagged, Long::sum);
        }
      }
    }
    List<SafetyTotals.EndUserCounts> out = new ArrayList<>(users.size());
    users.forEach((k, s) -> out.add(
        new SafetyTotals.EndUserCounts(k.consumer(), k.endUser(), s.requests, s.flagged, s.blocked, s.byCategory)));
    return out;
  }
}
