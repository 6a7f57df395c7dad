package dev.spillway.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which database failures are an outage a client may wait out (503) and which are faults (500). */
class StoreFailuresTest {

  @Test
  void connectionFailuresAndAServerShuttingDownAreUnreachable() {
    assertThat(StoreFailures.unreachable(new SQLException("refused", "08001"))).isTrue();
    assertThat(StoreFailures.unreachable(new SQLException("I/O error", "08006"))).isTrue();
    assertThat(StoreFailures.unreachable(new SQLException("admin shutdown", "57P01"))).isTrue();
    assertThat(StoreFailures.unreachable(new SQLException("starting up", "57P03"))).isTrue();
    assertThat(StoreFailures.unreachable(new SQLTransientConnectionException("no connection in 2000 ms"))).isTrue();
    assertThat(StoreFailures.unreachable(new SQLException("wrapped", null, new SQLException("refused", "08001"))))
        .as("found in the cause").isTrue();
  }

  @Test
  void aDatabaseThatAnswersWithAnErrorIsNotAnOutage() {
    assertThat(StoreFailures.unreachable(new SQLException("duplicate key", "23505"))).isFalse();
    assertThat(StoreFailures.unreachable(new SQLException("no such table", "42P01"))).isFalse();
    assertThat(StoreFailures.unreachable(new SQLException("no state"))).isFalse();
  }
}
