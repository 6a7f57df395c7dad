package dev.spillway.gateway.store.postgres;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.gateway.auth.ConsumerStore;
import dev.spillway.gateway.auth.StoredConsumer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Consumers added through the admin API, in PostgreSQL ({@code spillway_store.consumers}, one JSON document per
 * consumer in the shape of {@link StoredConsumer}), shared by every replica. Each write is one transaction that bumps
 * the {@code consumers} version first (queuing concurrent writers) and answers the content it committed. Thread-safe.
 */
public final class PostgresConsumerStore implements ConsumerStore {
  private static final String TABLE = PostgresStoreDatabase.SCHEMA + ".consumers";

  private final PostgresStoreDatabase db;

  public PostgresConsumerStore(PostgresStoreDatabase db) {
    this.db = db;
  }

  @Override
  public long version() {
    try (Connection c = db.connection()) {
      return StoreVersions.read(c, StoreVersions.CONSUMERS);
    } catch (SQLException e) {
      throw failure("read the version of", e);
    }
  }

  @Override
  public Snapshot read() {
    try (Connection c = db.connection()) {
      return StoreVersions.snapshot(c, StoreVersions.CONSUMERS, (version, in) -> new Snapshot(version, rows(in)));
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  @Override
  public Snapshot put(ConsumerConfig consumer) {
    return write(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO " + TABLE + " (id, body) VALUES (?, ?::jsonb)"
          + " ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body")) {
        st.setString(1, consumer.id());
        st.setString(2, StoredConsumer.toJson(consumer));
        st.executeUpdate();
      }
      return true;
    }).orElseThrow();
  }

  @Override
  public Optional<Snapshot> remove(String id) {
    return write(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
        st.setString(1, id);
        return st.executeUpdate() > 0;
      }
    });
  }

  /**
   * Copies {@code consumers} (those of {@code consumers.json}) into the table if it has never been written, so a
   * gateway that moves to the shared store keeps the consumers added through its admin API. Replicas starting together
   * import once.
   *
   * @return true when this call imported them
   */
  public boolean importIfNeverWritten(List<ConsumerConfig> consumers) {
    if (consumers.isEmpty()) {
      return false;
    }
    return write(c -> {
      if (StoreVersions.read(c, StoreVersions.CONSUMERS) != 1 || !rows(c).isEmpty()) {
        return false; // bumped from 0 to 1 by this write only when never written before
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO " + TABLE + " (id, body) VALUES (?, ?::jsonb)")) {
        for (ConsumerConfig consumer : consumers) {
          st.setString(1, consumer.id());
          st.setString(2, StoredConsumer.toJson(consumer));
          st.addBatch();
        }
        st.executeBatch();
      }
      return true;
    }).isPresent();
  }

  private interface Change {
    /** Applies the change in the open transaction; false when there was nothing to change. */
    boolean apply(Connection c) throws SQLException;
  }

  /** Runs {@code change} in a transaction after bumping the version; commits and answers the content, or rolls back. */
  private Optional<Snapshot> write(Change change) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        long version = StoreVersions.bump(c, StoreVersions.CONSUMERS);
        if (!change.apply(c)) {
          c.rollback();
          c.setAutoCommit(true);
          return Optional.empty();
        }
        List<ConsumerConfig> after = rows(c);
        c.commit();
        c.setAutoCommit(true);
        return Optional.of(new Snapshot(version, after));
      } catch (SQLException | RuntimeException e) {
        quietly(c::rollback, e); // on a broken connection this fails too: the first failure is the one that says why
        quietly(() -> c.setAutoCommit(true), e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  private interface SqlStep {
    void run() throws SQLException;
  }

  /** Runs a clean-up step after {@code failure}; its own failure is kept as suppressed, not thrown over the first. */
  private static void quietly(SqlStep step, Exception failure) {
    try {
      step.run();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static List<ConsumerConfig> rows(Connection c) throws SQLException {
    List<ConsumerConfig> consumers = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT body::text FROM " + TABLE + " ORDER BY seq");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        consumers.add(StoredConsumer.fromJson(rs.getString(1)));
      }
    }
    return consumers;
  }

  private RuntimeException failure(String what, SQLException e) {
    return StoreFailures.unreachable(e) ? new dev.spillway.core.error.StoreUnavailableException("cannot " + what
        + " the consumers: PostgreSQL " + db.describe() + " cannot be reached (SQLSTATE " + e.getSQLState() + ")", e)
        : new IllegalStateException("cannot " + what + " the consumers in PostgreSQL " + db.describe() + " (SQLSTATE "
        + e.getSQLState() + ": " + e.getMessage() + ")", e);
  }

  @Override
  public String toString() {
    return "PostgresConsumerStore[" + db.describe() + "]";
  }
}
