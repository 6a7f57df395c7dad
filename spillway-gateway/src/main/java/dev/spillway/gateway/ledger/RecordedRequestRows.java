package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.RecordedRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Streams the rows of a period query to a consumer, one {@link RecordedRequest} at a time. Both readers select the
 * same seven columns in the same order: time, model, tier, status, prompt, completion and cached tokens; only the
 * time differs in type, so each reader says how to read it.
 */
final class RecordedRequestRows {
  /** Rows fetched per round trip: enough to stream quickly, few enough that a day never sits in memory. */
  static final int FETCH_SIZE = 1_000;

  /** Reads column 1 of the current row as an instant. */
  @FunctionalInterface
  interface TimeColumn {
    Instant read(ResultSet rs) throws SQLException;
  }

  private RecordedRequestRows() {
  }

  static long stream(PreparedStatement ps, TimeColumn time, Consumer<RecordedRequest> each) throws SQLException {
    ps.setFetchSize(FETCH_SIZE);
    long count = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        each.accept(new RecordedRequest(time.read(rs), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7)));
        count++;
      }
    }
    return count;
  }
}
