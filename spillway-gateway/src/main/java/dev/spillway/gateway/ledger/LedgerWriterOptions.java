package dev.spillway.gateway.ledger;

import dev.spillway.core.time.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link LedgerWriter}'s settings.
 *
 * @param queueCapacity records held in memory before they go straight to a spill segment
 * @param maxBatch most records written to the sink at once
 * @param maxDelay how long the idle writer waits for a record before it looks again whether spilled records are due
 *     for a replay (batches are not held back to fill: each holds answers back)
 * @param retryInterval how often spill segments are replayed while the sink is down
 * @param spillDir where spill segments live
 * @param closeTimeout how long closing the writer waits for the queue to drain ({@link LedgerWriter#close()})
 * @param writeTimeout longest the writer waits for one write to the sink before it counts the database as down and
 *     spills ({@link TimedSink})
 * @param ticker measures the age of the oldest record waiting on disk
 * @param journal whether records are journaled ({@link LedgerJournal}) so that answers need not wait for the
 *     database's commit; off, each answer waits for its record's commit
 * @param linger how long the writer gathers journaled records into one batch after the first (no answer waits for
 *     them); batches with a record whose answer waits are never held back
 */
public record LedgerWriterOptions(int queueCapacity, int maxBatch, Duration maxDelay, Duration retryInterval, Path spillDir,
    Duration closeTimeout, Duration writeTimeout, Ticker ticker, boolean journal, Duration linger) {
  /** The default {@link #writeTimeout}: a healthy batch insert takes a few milliseconds to a few tens. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMillis(250);

  public LedgerWriterOptions {
    if (queueCapacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("queueCapacity and maxBatch must be >= 1");
    }
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(retryInterval, "retryInterval");
    Objects.requireNonNull(spillDir, "spillDir");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout must be positive, got " + writeTimeout);
    }
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(linger, "linger");
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative, got " + linger);
    }
  }

  /**
   * A builder; {@code spillDir} must be set, the rest start at 10,000 queued records, batches of 2,000, 200 ms
   * delay, 5 s retry interval, a 10 s close timeout, a 250 ms write timeout, the system ticker, and the journal on
   * with a 50 ms linger.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every setting of this one, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .queueCapacity(queueCapacity)
        .maxBatch(maxBatch)
        .maxDelay(maxDelay)
        .retryInterval(retryInterval)
        .spillDir(spillDir)
        .closeTimeout(closeTimeout)
        .writeTimeout(writeTimeout)
        .ticker(ticker)
        .journal(journal)
        .linger(linger);
  }

  /** Collects the settings; setters reject null, {@link #build()} checks the rest. Not thread-safe. */
  public static final class Builder {
    private int queueCapacity = 10_000;
    private int maxBatch = 2_000;
    private Duration maxDelay = Duration.ofMillis(200);
    private Duration retryInterval = Duration.ofSeconds(5);
    private Path spillDir;
    private Duration closeTimeout = Duration.ofSeconds(10);
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private Ticker ticker = Ticker.systemTicker();
    private boolean journal = true;
    private Duration linger = Duration.ofMillis(50);

    private Builder() {}

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    public Builder retryInterval(Duration retryInterval) {
      this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
      return this;
    }

    public Builder spillDir(Path spillDir) {
      this.spillDir = Objects.requireNonNull(spillDir, "spillDir");
      return this;
    }

    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
      return this;
    }

    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    public Builder journal(boolean journal) {
      this.journal = journal;
      return this;
    }

    public Builder linger(Duration linger) {
      this.linger = Objects.requireNonNull(linger, "linger");
      return this;
    }

    /**
     * @throws IllegalStateException when spillDir was not set
     * @throws IllegalArgumentException when queueCapacity or maxBatch is below 1, or writeTimeout is not positive
     */
    public LedgerWriterOptions build() {
      if (spillDir == null) {
        throw new IllegalStateException("LedgerWriterOptions.builder() needs spillDir set");
      }
      return new LedgerWriterOptions(
          queueCapacity, maxBatch, maxDelay, retryInterval, spillDir, closeTimeout, writeTimeout, ticker, journal, linger);
    }
  }
}
