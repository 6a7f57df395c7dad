package dev.spillway.gateway.store.postgres;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (no connection in time, refused, broken, or the server shutting down) from
 * one that answered with an error: the first is an outage a client may wait out, the second a fault.
 */
final class StoreFailures {
  private StoreFailures() {}

  /**
   * True for connection failures: SQLSTATE class {@code 08} (connection exception), {@code 57P01}-{@code 57P03}
   * (the server is shutting down or not yet accepting), or the pool's own "no connection in time".
   */
  static boolean unreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return true;
        }
      }
    }
    return false;
  }
}
