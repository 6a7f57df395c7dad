package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.UsageTotals;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the rows of a totals query to {@link UsageTotals}. Both readers select the same nineteen columns in the same
 * order: consumer, team, model, backend, tier, operation, count, failed count, prompt, completion, cached, reasoning
 * tokens, then the sums of the images, audio seconds and characters (a double each: the {@code units} column holds
 * fractional seconds; images and characters are whole numbers, rounded back from the sum), then the response cache's
 * exact hits, semantic hits, saved prompt and saved completion tokens; split by end user, the end user twentieth.
 */
final class UsageTotalsRows {
  private UsageTotalsRows() {
  }

  static List<UsageTotals> read(PreparedStatement ps) throws SQLException {
    return read(ps, false);
  }

  static List<UsageTotals> readByEndUser(PreparedStatement ps) throws SQLException {
    return read(ps, true);
  }

  private static List<UsageTotals> read(PreparedStatement ps, boolean byEndUser) throws SQLException {
    List<UsageTotals> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new UsageTotals(
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
            Math.round(rs.getDouble(13)), rs.getDouble(14), Math.round(rs.getDouble(15)),
            new UsageTotals.CacheTotals(rs.getLong(16), rs.getLong(17), rs.getLong(18), rs.getLong(19)),
            byEndUser ? rs.getString(20) : ""));
      }
    }
    return out;
  }
}
