package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.ledger.UsageRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No usage record is lost across a PostgreSQL outage: a private cluster is killed ({@code pg_ctl stop -m immediate})
 * while records keep coming, started again, and afterwards every request id is in the ledger exactly once.
 */
class PostgresLedgerOutageTest {
  static final int RECORDS = 1_500;
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path dir;
  PrivatePostgresCluster cluster;

  @BeforeEach
  void startCluster() throws Exception {
    try {
      cluster = PrivatePostgresCluster.start();
    } catch (IllegalStateException e) {
      PostgresTestSupport.skipOrFail("cannot start a private PostgreSQL cluster: " + e.getMessage());
    }
  }

  @AfterEach
  void removeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void noRecordIsLostWhenTheDatabaseDiesAndComesBackMidRun() throws Exception {
    PostgresLedger config = new PostgresLedger(cluster.jdbcUrl(), "postgres", Optional.empty(), 2);
    LedgerWriterOptions options = LedgerWriterOptions.builder()
        .spillDir(dir.resolve("spill"))
        .maxBatch(25)
        .maxDelay(Duration.ofMillis(10))
        .retryInterval(Duration.ofMillis(100))
        .build();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch restarted = new CountDownLatch(1);
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        logged.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger.getLogger("").addHandler(capture);

    try (PostgresLedgerSink sink = PostgresLedgerSink.open(config)) {
      LedgerWriter writer = new LedgerWriter(sink, options);
      // Offers one record about every millisecond; waits for the stop before the second third (so that, however slow
      // the machine, the second third is offered during the outage) and for the restart before the last third.
      Thread producer = Thread.ofPlatform().name("outage-test-producer").start(() -> {
        try {
          for (int i = 0; i < RECORDS; i++) {
            if (i == RECORDS / 3 && !stopped.await(120, TimeUnit.SECONDS)) {
              throw new AssertionError("the database was not stopped");
            }
            if (i == 2 * RECORDS / 3 && !restarted.await(120, TimeUnit.SECONDS)) {
              throw new AssertionError("the database was not restarted");
            }
            writer.offer(record(i));
            Thread.sleep(1);
          }
        } catch (Throwable t) {
          producerFailure.set(t);
        }
      });

      // Some records in the database: written at once, or (on a loaded machine, where the first write and its schema
      // migration can outlast the write timeout) spilled and replayed once the database answered.
      await("a third offered and some in the database",
          () -> writer.offered() >= RECORDS / 3 && writer.written() + writer.replayed() > 0);
      long spilledBefore = writer.spilled();
      cluster.stopImmediately(); // maybe in the middle of a batch
      stopped.countDown();

      await("the writer to spill for the outage and the second third to be offered",
          () -> writer.spilled() > spilledBefore && writer.offered() >= 2 * RECORDS / 3);
      long spilledDuringOutage = writer.spilled() - spilledBefore;
      cluster.startServer();
      restarted.countDown();

      producer.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(producerFailure.get()).isNull();
      assertThat(writer.offered()).isEqualTo(RECORDS);
      await("the writer to drain its queue and replay every spill segment",
          () -> writer.queued() == 0 && !writer.hasPendingSpill()
              && writer.written() + writer.replayed() == RECORDS);
      writer.close();

      assertThat(spilledDuringOutage).isPositive();
      assertThat(writer.replayed()).isPositive();
      assertThat(writer.lost()).isZero();
      assertThat(writer.corruptLines()).isZero();
    } finally {
      java.util.logging.Logger.getLogger("").removeHandler(capture);
    }
    // The outage is logged, but never with SQL, a consumer, an end user or a client address, and without stack traces.
    assertThat(logged).isNotEmpty();
    for (java.util.logging.LogRecord r : logged) {
      String text = new java.util.logging.SimpleFormatter().format(r);
      assertThat(text).as(r.getLoggerName()).doesNotContain("INSERT", "alice", "person-", "10.0.0.1");
      String source = String.valueOf(r.getLoggerName());
      if (source.startsWith("com.zaxxer") || source.startsWith("org.postgresql") || source.contains(".ledger")) {
        assertThat(r.getThrown()).as(source + ": " + r.getMessage()).isNull();
      }
    }

    Map<String, Long> rowsPerId = new HashMap<>();
    long rows = 0;
    try (Connection c = PostgresTestSupport.connectUrl(cluster.jdbcUrl());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT request_id, COUNT(*) FROM usage GROUP BY request_id")) {
      while (rs.next()) {
        rowsPerId.put(rs.getString(1), rs.getLong(2));
        rows += rs.getLong(2);
      }
    }
    assertThat(rows).isEqualTo(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      assertThat(rowsPerId.get(id(i))).as("rows of " + id(i)).isEqualTo(1L);
    }
    // Every row, spilled or not, with its end user and verdict.
    try (Connection c = PostgresTestSupport.connectUrl(cluster.jdbcUrl());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FILTER (WHERE end_user = 'person-' || substr(request_id, 8)),"
            + " COUNT(*) FILTER (WHERE safety_verdict = 'masked' AND safety_category = 'pii.email'"
            + " AND safety_severity = 5),"
            + " COUNT(*) FILTER (WHERE safety_verdict = 'none' AND safety_category = '') FROM usage")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(RECORDS);
      assertThat(rs.getLong(2)).isEqualTo(RECORDS / 2);
      assertThat(rs.getLong(3)).isEqualTo(RECORDS - RECORDS / 2);
    }
  }

  private static String id(int i) {
    return "outage-" + i;
  }

  private static UsageRecord record(int i) {
    return UsageRecord.builder(id(i), T0.plusMillis(i)).consumer("alice").team("team-a").clientIp("10.0.0.1")
        .route("chat").model("gpt-4o").backend("ptu-1").tier("ptu").region("eastus").status(200).tokens(100, 10, 0, 0)
        .latencyMillis(50).attempts(1).endUser(dev.spillway.core.ledger.EndUser.of("person-" + i))
        .safety(i % 2 == 0 ? dev.spillway.core.ledger.SafetyVerdict.NONE
            : new dev.spillway.core.ledger.SafetyVerdict(dev.spillway.core.ledger.SafetyVerdict.Level.MASKED, "pii.email",
                5))
        .build();
  }

  /** Polls the writer's own counters; the limit only bounds a broken run (several connect timeouts long). */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
