package dev.spillway.gateway.ledger;

import static dev.spillway.gateway.ledger.LedgerWriterTest.await;
import static dev.spillway.gateway.ledger.LedgerWriterTest.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.LedgerUnavailableException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The ledger's journal: answers end once a record is journaled, and what a dead process journaled is replayed. */
class LedgerJournalTest extends SqliteLedgerDir {
  LedgerWriterOptions opts() {
    return LedgerWriterOptions.builder().spillDir(spillDir).maxBatch(50).maxDelay(Duration.ofMillis(20))
        .retryInterval(Duration.ofMillis(50)).linger(Duration.ofMillis(20)).build();
  }

  /** A sink that commits at once while open, and holds each write until released while closed. */
  static final class Gate implements LedgerSink {
    final LedgerSink delegate;
    final AtomicBoolean holding = new AtomicBoolean();
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger writes = new AtomicInteger();

    Gate(LedgerSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(List<dev.spillway.core.ledger.UsageRecord> batch) throws LedgerUnavailableException {
      if (holding.get()) {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new LedgerUnavailableException("interrupted", e);
        }
      }
      writes.incrementAndGet();
      delegate.write(batch);
    }
  }

  @Test
  void whileTheDatabaseAnswersAnOfferIsDoneOnceJournaledAndTheCommitFollows() throws Exception {
    Gate gate = new Gate(sqlite);
    try (LedgerWriter w = new LedgerWriter(gate, opts().toBuilder().writeTimeout(Duration.ofSeconds(30)).build())) {
      w.offer(rec("j-first")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      await(() -> w.replayed() == 1 && !w.hasPendingSpill()); // the database answered once

      gate.holding.set(true);
      w.offer(rec("j-1")).toCompletableFuture().get(10, TimeUnit.SECONDS); // the answer does not wait for the database
      assertThat(text(LedgerJournal.PREFIX)).contains("\"j-1\"");
      await(() -> w.queued() == 0); // the writer has taken it: its insert waits
      assertThat(count(" WHERE request_id = 'j-1'")).isZero();

      gate.release.countDown();
      await(() -> count0(" WHERE request_id = 'j-1'") == 1);
      assertThat(w.written()).isEqualTo(1);
      assertThat(spillFiles()).isZero();
    }
    assertThat(journalFiles()).as("closed with every line settled: no segment is left").isZero();
  }

  @Test
  void whatAProcessThatDiedJournaledIsReplayedByTheNextStartExactlyOnce() throws Exception {
    Gate gate = new Gate(sqlite);
    LedgerWriter dead = new LedgerWriter(gate, opts().toBuilder().writeTimeout(Duration.ofSeconds(60)).build());
    try {
      dead.offer(rec("d-first"));
      await(() -> dead.replayed() == 1 && !dead.hasPendingSpill());
      gate.holding.set(true); // the database takes the next batch and the process dies before it commits
      for (int i = 0; i < 60; i++) {
        dead.offer(rec("d-" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      assertThat(count("")).isEqualTo(1);
      assertThat(journalFiles()).isEqualTo(1);

      // A new process on the same directory (the dead one never closed its writer: as after kill -9).
      try (LedgerWriter next = new LedgerWriter(sqlite, opts())) {
        await(() -> next.replayed() == 60 && !next.hasPendingSpill());
        assertThat(count("")).isEqualTo(61);
        assertThat(spillFiles()).isZero();
        assertThat(journalFiles()).isZero();
      }
    } finally {
      gate.release.countDown(); // the dead process's held insert lands after all: no row twice
      dead.close();
    }
    assertThat(count("")).isEqualTo(61);
    assertThat(distinctIds()).isEqualTo(61);
  }

  @Test
  void journaledRecordsOfAFailedBatchAreSpilledAndSettledAndLandOnce() throws Exception {
    LedgerWriterTest.FlakySink flaky = new LedgerWriterTest.FlakySink(sqlite);
    try (LedgerWriter w = new LedgerWriter(flaky, opts())) {
      w.offer(rec("f-first"));
      await(() -> w.replayed() == 1 && !w.hasPendingSpill());
      flaky.failing.set(true);
      for (int i = 0; i < 30; i++) {
        w.offer(rec("f-" + i)); // journaled: the database was answering when each came
      }
      await(() -> w.spilled() >= 31);
      assertThat(count("")).isEqualTo(1);
      flaky.failing.set(false);
      await(() -> !w.hasPendingSpill() && count0("") == 31);
      assertThat(spillFiles()).isZero();
    }
    assertThat(journalFiles()).isZero();
    assertThat(distinctIds()).isEqualTo(31);
  }

  @Test
  void recordsTheJournalRefusesAreSpilledBeforeTheirAnswersGoOnAndLandOnce() throws Exception {
    Gate gate = new Gate(sqlite);
    try (LedgerWriter w = new LedgerWriter(gate, opts().toBuilder().writeTimeout(Duration.ofSeconds(30)).build())) {
      w.offer(rec("r-first"));
      await(() -> w.replayed() == 1 && !w.hasPendingSpill());
      // The journal's next segment cannot be opened (a directory has its name); the spill segments can.
      Files.createDirectory(spillDir.resolve(String.format("%s%020d%s", LedgerJournal.PREFIX, 0, LedgerJournal.SUFFIX)));
      long spilled = w.spilled();
      w.offer(rec("r-1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(w.spilled()).as("on disk, fsynced, once its answer may go on").isEqualTo(spilled + 1);
      await(() -> count0(" WHERE request_id = 'r-1'") == 1);
    }
    assertThat(distinctIds()).isEqualTo(count(""));
  }

  @Test
  void segmentsRollOverAndGoOnceEveryLineIsSettled() throws Exception {
    Files.createDirectories(spillDir);
    LedgerJournal journal = new LedgerJournal(spillDir, 100); // every line fills a segment
    long a = journal.append(List.of(rec("s-a")));
    long b = journal.append(List.of(rec("s-b")));
    long c = journal.append(List.of(rec("s-c")));
    assertThat(List.of(a, b, c)).containsExactly(0L, 1L, 2L);
    assertThat(journalFiles()).isEqualTo(3);
    assertThat(journal.unsettledRecords()).isEqualTo(3);

    journal.settle(b);
    assertThat(journalFiles()).isEqualTo(2);
    journal.settle(b); // settling twice does nothing
    assertThat(journal.unsettledRecords()).isEqualTo(2);
    journal.close();
    assertThat(journalFiles()).as("unsettled segments outlive close").isEqualTo(2);

    Files.writeString(spillDir.resolve("spill-00000000000000000007.jsonl"), "");
    assertThat(LedgerJournal.adoptLeftovers(spillDir)).isEqualTo(2);
    assertThat(journalFiles()).isZero();
    assertThat(spillDir.resolve("spill-00000000000000000008.jsonl")).content().contains("\"s-a\"");
    assertThat(spillDir.resolve("spill-00000000000000000009.jsonl")).content().contains("\"s-c\"");
  }

  @Test
  void theActiveSegmentStaysWhileTheGatewayRunsAndGoesAtCloseOnceSettled() throws Exception {
    Files.createDirectories(spillDir);
    LedgerJournal journal = new LedgerJournal(spillDir, 1 << 20);
    long seq = journal.append(List.of(rec("k-1"), rec("k-2")));
    journal.settle(seq);
    assertThat(journal.unsettledRecords()).isEqualTo(1);
    journal.settle(seq);
    assertThat(journalFiles()).as("the active segment is not deleted under the appender").isEqualTo(1);
    journal.close();
    assertThat(journalFiles()).isZero();
  }
}
