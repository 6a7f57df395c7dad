package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageRecord;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LedgerWriterTest extends SqliteLedgerDir {
  static UsageRecord rec(String id) {
    return UsageRecord.builder(id, Instant.parse("2025-03-01T10:00:00.123Z")).consumer("alice").team("team-a")
        .clientIp("10.1.2.3").route("chat").model("gpt-4o").backend("ptu-1").tier("ptu").region("eastus").status(200)
        .tokens(100, 20, 5, 0).latencyMillis(250).ttftMillis(40L).attempts(1).build();
  }

  LedgerWriterOptions opts() {
    return LedgerWriterOptions.builder()
        .spillDir(spillDir)
        .maxBatch(50)
        .maxDelay(Duration.ofMillis(20))
        .retryInterval(Duration.ofMillis(50))
        .build();
  }

  static void await(BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.sleep(10);
    }
  }

  /** Fails while {@code failing} is set, delegating otherwise. */
  static final class FlakySink implements LedgerSink {
    final LedgerSink delegate;
    final AtomicBoolean failing = new AtomicBoolean();
    FlakySink(LedgerSink delegate) {
      this.delegate = delegate;
    }
    @Override
    public void write(List<UsageRecord> batch) throws LedgerUnavailableException {
      if (failing.get()) {
        throw new LedgerUnavailableException("down for test");
      }
      delegate.write(batch);
    }
  }

  @Test
  void schemaIsVersionedAndRowsAppear() throws Exception {
    try (LedgerWriter w = new LedgerWriter(sqlite, opts())) {
      for (int i = 0; i < 120; i++) {
        w.offer(rec("r-" + i));
      }
      await(() -> w.written() + w.replayed() == 120);
      assertThat(count("")).isEqualTo(120);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
       Statement st = c.createStatement()) {
      ResultSet rs = st.executeQuery("SELECT version FROM schema_version");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(SqliteLedgerSink.SCHEMA_VERSION);
      rs = st.executeQuery("SELECT consumer, team, client_ip, model, backend, tier, region, status,"
          + " prompt_tokens, completion_tokens, cached_tokens, ttft_ms, cache_status, time_iso"
          + " FROM usage WHERE request_id='r-7'");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("alice");
      assertThat(rs.getString(3)).isEqualTo("10.1.2.3");
      assertThat(rs.getInt(8)).isEqualTo(200);
      assertThat(rs.getLong(9)).isEqualTo(100);
      assertThat(rs.getLong(12)).isEqualTo(40);
      assertThat(rs.getString(13)).isEqualTo("none");
      assertThat(rs.getString(14)).isEqualTo("2025-03-01T10:00:00.123Z");
    }
    // reopening keeps the schema and data
    sqlite.close();
    sqlite = SqliteLedgerSink.open(db);
    sqlite.write(List.of(rec("r-new")));
    assertThat(count("")).isEqualTo(121);
  }

  @Test
  void duplicatesByRequestIdAreInsertedOnce() throws Exception {
    try (LedgerWriter w = new LedgerWriter(sqlite, opts())) {
      for (int i = 0; i < 30; i++) {
        w.offer(rec("dup-" + (i % 10)));
      }
      await(() -> w.written() + w.replayed() == 30);
    }
    sqlite.write(List.of(rec("dup-1"), rec("dup-1"), rec("dup-99")));
    assertThat(count("")).isEqualTo(11);
    assertThat(count(" WHERE request_id='dup-1'")).isEqualTo(1);
  }

  @Test
  void healthShowsTheSpillAndItsBacklogUntilTheDatabaseHasEveryRecordAgain() throws Exception {
    FlakySink flaky = new FlakySink(sqlite);
    flaky.failing.set(true);
    try (LedgerWriter w = new LedgerWriter(flaky, opts())) {
      assertThat(w.health()).isEqualTo(new LedgerWriter.Health(false, 0, 0));
      for (int i = 0; i < 120; i++) {
        w.offer(rec("h-" + i));
      }
      await(() -> w.spilled() == 120);
      LedgerWriter.Health down = w.health();
      assertThat(down.spilling()).isTrue();
      assertThat(down.backlogRecords()).isEqualTo(120);

      flaky.failing.set(false);
      await(() -> !w.hasPendingSpill() && w.replayed() == 120);
      assertThat(w.health()).isEqualTo(new LedgerWriter.Health(false, 0, 0));
    }
  }

  @Test
  void failingSinkSpillsThenReplaysAfterRecovery() throws Exception {
    FlakySink flaky = new FlakySink(sqlite);
    flaky.failing.set(true);
    try (LedgerWriter w = new LedgerWriter(flaky, opts())) {
      for (int i = 0; i < 200; i++) {
        w.offer(rec("f-" + i));
      }
      await(() -> w.spilled() == 200);
      assertThat(w.written()).isZero();
      assertThat(spillFiles()).isPositive();
      assertThat(count("")).isZero();
      assertThat(w.hasPendingSpill()).isTrue();

      flaky.failing.set(false);
      await(() -> w.replayed() == 200 && !w.hasPendingSpill());
      for (int i = 200; i < 250; i++) {
        w.offer(rec("f-" + i)); // the database answers again: straight to it
      }
      await(() -> w.written() == 50);
      assertThat(count("")).isEqualTo(250);
      assertThat(spillFiles()).isZero();
      assertThat(w.lost()).isZero();
    }
  }

  @Test
  void recordsSpilledWhileTheDatabaseIsDownKeepTheirEndUserAndSafetyVerdict() throws Exception {
    FlakySink flaky = new FlakySink(sqlite);
    flaky.failing.set(true);
    try (LedgerWriter w = new LedgerWriter(flaky, opts())) {
      for (int i = 0; i < 40; i++) {
        UsageRecord.Builder r = rec("e-" + i).toBuilder()
            .endUser(dev.spillway.core.ledger.EndUser.of("user-" + (i % 4) + "-名前"));
        if (i % 2 == 0) {
          r.safety(new dev.spillway.core.ledger.SafetyVerdict(
              dev.spillway.core.ledger.SafetyVerdict.Level.BLOCKED, "pii.credit_card", i % 4 == 0 ? 6 : 3));
        }
        w.offer(r.build());
      }
      await(() -> w.spilled() == 40);
      assertThat(count("")).isZero();

      flaky.failing.set(false);
      await(() -> w.replayed() == 40 && !w.hasPendingSpill());
    }
    assertThat(count(" WHERE end_user = 'user-3-名前'")).isEqualTo(10);
    assertThat(count(" WHERE safety_verdict = 'blocked' AND safety_category = 'pii.credit_card'")).isEqualTo(20);
    assertThat(count(" WHERE safety_verdict = 'blocked' AND safety_severity = 6")).isEqualTo(10);
    assertThat(count(" WHERE safety_verdict = 'blocked' AND safety_severity = 3")).isEqualTo(10);
    assertThat(count(" WHERE safety_verdict = 'none' AND safety_category = ''")).isEqualTo(20);
    assertThat(count(" WHERE end_user = ''")).isZero();
  }

  @Test
  void queueOverflowGoesToSpillFileAndNothingIsLost() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean stuck = new AtomicBoolean();
    LedgerSink blocking = batch -> {
      try {
        if (stuck.get()) {
          release.await();
        }
      } catch (InterruptedException e) {
        throw new LedgerUnavailableException("interrupted", e);
      }
      sqlite.write(batch);
    };
    try (LedgerWriter w = new LedgerWriter(blocking, opts().toBuilder().queueCapacity(10).maxBatch(5).build())) {
      w.offer(rec("o-first"));
      await(() -> w.replayed() == 1); // the database answered: records are queued in memory from now on
      stuck.set(true);
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        w.offer(rec("o-" + i)); // must not block although the sink is stuck
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      // at most one batch in flight + a full queue; everything else went to disk (from the journal's thread, which
      // queues what it journaled)
      await(() -> w.overflowed() >= 100 - 10 - 5);
      // the overflow is on disk; after the write timeout the stuck batch and the queue follow it
      await(() -> w.spilled() == 101);
      assertThat(spillFiles()).isPositive();
      release.countDown();
      await(() -> count0("") == 101 && !w.hasPendingSpill());
      assertThat(w.written() + w.replayed()).isEqualTo(101);
      assertThat(spillFiles()).isZero();
    }
  }

  @Test
  void closeFlushesQueue() throws Exception {
    LedgerWriter w = new LedgerWriter(sqlite,
        opts().toBuilder()
            .maxDelay(Duration.ofSeconds(30))
            .retryInterval(Duration.ofSeconds(30))
            .maxBatch(1000)
            .build());
    for (int i = 0; i < 300; i++) {
      w.offer(rec("c-" + i));
    }
    w.close();
    assertThat(count("")).isEqualTo(300);
    assertThat(w.written() + w.replayed()).isEqualTo(300);
    assertThat(spillFiles()).isZero();
    assertThat(journalFiles()).as("every journaled record is in the database: its segment is gone").isZero();
    // after close, offers are spilled, never dropped
    long spilled = w.spilled();
    assertThat(w.offer(rec("late")).toCompletableFuture().isDone()).isTrue();
    assertThat(w.spilled()).isEqualTo(spilled + 1);
    assertThat(spillFiles()).isEqualTo(1);
  }

  @Test
  void closeWithDeadSinkSpillsAndNextStartReplays() throws Exception {
    FlakySink flaky = new FlakySink(sqlite);
    flaky.failing.set(true);
    LedgerWriter w = new LedgerWriter(flaky, opts().toBuilder().maxDelay(Duration.ofSeconds(30)).build());
    for (int i = 0; i < 80; i++) {
      w.offer(rec("d-" + i));
    }
    w.close();
    assertThat(w.spilled()).isEqualTo(80);
    assertThat(spillFiles()).isPositive();
    assertThat(count("")).isZero();

    try (LedgerWriter w2 = new LedgerWriter(sqlite, opts())) {
      await(() -> w2.replayed() == 80);
      assertThat(count("")).isEqualTo(80);
      assertThat(spillFiles()).isZero();
    }
  }

  @Test
  void tornSpillLineIsSkippedAndRestReplayed() throws Exception {
    Files.createDirectories(spillDir);
    String good = dev.spillway.core.ledger.UsageRecordJson.toJson(rec("t-1"));
    Files.writeString(spillDir.resolve("spill-00000000000000000003.jsonl"), good + "\n{\"requestId\":\"t-2\",\"ti");
    try (LedgerWriter w = new LedgerWriter(sqlite, opts())) {
      await(() -> w.replayed() == 1);
      assertThat(w.corruptLines()).isEqualTo(1);
    }
    assertThat(count("")).isEqualTo(1);
    assertThat(spillFiles()).isZero();
  }

  @Test
  void withoutAJournalAnOfferCompletesOnlyOnceItsRecordIsCommittedOrOnDisk() throws Exception {
    FlakySink flaky = new FlakySink(sqlite);
    try (LedgerWriter w = new LedgerWriter(flaky, opts().toBuilder().journal(false).build())) {
      // until the database has answered once, records go to disk first
      w.offer(rec("first")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      await(() -> w.replayed() == 1 && !w.hasPendingSpill());
      // the database answers: the offer completes once its record is in it, not on disk
      w.offer(rec("up-1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(count(" WHERE request_id = 'up-1'")).isEqualTo(1);
      assertThat(w.written()).isEqualTo(1);
      assertThat(text(SpillSegments.PREFIX)).doesNotContain("up-1");

      flaky.failing.set(true);
      w.offer(rec("down-1"));
      await(() -> w.health().spilling()); // the writer found out

      for (int i = 0; i < 20; i++) {
        String id = "down-after-" + i;
        w.offer(rec(id)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(text(SpillSegments.PREFIX)).as("spill segments once the offer of " + id + " completed").contains("\"" + id + "\"");
      }
      assertThat(w.overflowed()).isZero();

      flaky.failing.set(false);
      await(() -> !w.hasPendingSpill() && w.replayed() == 22);
      w.offer(rec("up-2")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(count(" WHERE request_id = 'up-2'")).isEqualTo(1);
      assertThat(w.written()).isEqualTo(2);
    }
    assertThat(count("")).isEqualTo(24);
  }

  @Test
  void withoutAJournalWhileTheDatabaseAnswersAnOfferCompletesOnlyOnceItsRecordIsCommitted() throws Exception {
    CountDownLatch commit = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean();
    LedgerSink held = batch -> {
      if (holding.get()) {
        try {
          commit.await(); // a slow insert, within the write timeout
        } catch (InterruptedException e) {
          throw new LedgerUnavailableException("interrupted", e);
        }
      }
      sqlite.write(batch);
    };
    LedgerWriterOptions options = opts().toBuilder().writeTimeout(Duration.ofSeconds(30)).journal(false).build();
    try (LedgerWriter w = new LedgerWriter(held, options)) {
      w.offer(rec("w-first")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      await(() -> w.replayed() == 1 && !w.hasPendingSpill()); // the database answered once

      holding.set(true);
      java.util.concurrent.CompletableFuture<Void> offered = w.offer(rec("w-1")).toCompletableFuture();
      await(() -> w.queued() == 0); // the writer has taken it: its insert waits
      assertThat(offered).as("the answer waits while the record is neither in the database nor on disk").isNotDone();
      assertThat(count(" WHERE request_id = 'w-1'")).isZero();

      commit.countDown();
      offered.get(10, TimeUnit.SECONDS);
      assertThat(count(" WHERE request_id = 'w-1'")).isEqualTo(1);
      assertThat(w.spilled()).isEqualTo(1); // only w-first, before the database had answered
    }
  }

  @Test
  void aDatabaseThatStopsAnsweringIsSpilledToAfterTheWriteTimeoutAndEveryRecordLandsOnce() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicBoolean hanging = new AtomicBoolean(true);
    LedgerSink hangs = batch -> {
      if (hanging.get()) {
        try {
          answer.await(); // a database that accepted the statement and went silent
        } catch (InterruptedException e) {
          throw new LedgerUnavailableException("interrupted", e);
        }
      }
      sqlite.write(batch); // the abandoned write commits after all once the database answers
    };
    hanging.set(false);
    LedgerWriterOptions options = opts().toBuilder().writeTimeout(Duration.ofMillis(50)).build();
    try (LedgerWriter w = new LedgerWriter(hangs, options)) {
      w.offer(rec("s-first"));
      await(() -> w.replayed() == 1 && !w.hasPendingSpill()); // the database answered once

      hanging.set(true);
      for (int i = 0; i < 60; i++) {
        w.offer(rec("s-" + i));
      }
      await(() -> w.spilled() == 61);
      assertThat(w.health().spilling()).isTrue();
      assertThat(w.written()).isZero();
      assertThat(count("")).isEqualTo(1);

      hanging.set(false);
      answer.countDown();
      await(() -> !w.hasPendingSpill() && w.replayed() == 61);
    }
    assertThat(count("")).isEqualTo(61);
  }
}
