package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.PromptCacheTotals;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt-cache query both readers run (SQLite and PostgreSQL both have window functions), and the mapping of its
 * rows to {@link PromptCacheTotals}. The database does the counting: the rows of the period a backend answered with
 * prompt tokens, and for those with a prefix hash the previous hashed row's hash of the same consumer and model
 * ({@code LAG} over a partition that leaves the unhashed rows apart), in time order, ties by request id. Only the
 * sums per consumer, team and model come back, so a period of any length is read in bounded memory.
 */
final class PromptCacheRows {
  private PromptCacheRows() {}

  /** The query, with {@code time} the store's time column; its two parameters are the period's bounds. */
  static String query(String time) {
    return "SELECT COALESCE(consumer, ''), COALESCE(team, ''), COALESCE(model, ''), COUNT(*), SUM(prompt_tokens),"
        + " SUM(cached_tokens), SUM(CASE WHEN tier = 'payg' THEN cached_tokens ELSE 0 END),"
        + " SUM(CASE WHEN prompt_tokens >= 1024 THEN 1 ELSE 0 END), COUNT(prompt_prefix_hash), COUNT(previous_hash),"
        + " SUM(CASE WHEN prompt_prefix_hash = previous_hash THEN 1 ELSE 0 END)"
        + " FROM (SELECT consumer, team, model, tier, prompt_tokens, cached_tokens, prompt_prefix_hash,"
        + " CASE WHEN prompt_prefix_hash IS NULL THEN NULL ELSE LAG(prompt_prefix_hash) OVER ("
        + "PARTITION BY consumer, model, prompt_prefix_hash IS NULL ORDER BY " + time + ", request_id) END"
        + " AS previous_hash"
        + " FROM usage WHERE " + time + " >= ? AND " + time + " < ? AND status < 400 AND prompt_tokens > 0) AS answered"
        + " GROUP BY 1, 2, 3";
  }

  static List<PromptCacheTotals> read(PreparedStatement ps) throws SQLException {
    List<PromptCacheTotals> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new PromptCacheTotals(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11)));
      }
    }
    return out;
  }
}
