package dev.spillway.gateway.ledger;

import java.time.Duration;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link LedgerWriter}'s settings.
 *
 * @param queueCapacity records held in memory before they go straight to a spill segment
 * @param maxBatch most records written to the sink at once
 * @param maxDelay longest a record waits for its batch to fill
 * @param retryInterval how often spill segments are replayed while the sink is down
 * @param spillDir where spill segments live
 * @param closeTimeout how long closing the writer waits for the queue to drain ({@link LedgerWriter#close()})
 */
public record LedgerWriterOptions(int queueCapacity, int maxBatch, Duration maxDelay, Duration retryInterval, Path spillDir,
    Duration closeTimeout) {
  public LedgerWriterOptions {
    if (queueCapacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("queueCapacity and maxBatch must be >= 1");
    }
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(retryInterval, "retryInterval");
    Objects.requireNonNull(spillDir, "spillDir");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
  }

  /**
   * A builder; {@code spillDir} must be set, the rest start at 10,000 queued records, batches of 2,000, 200 ms
   * delay, 5 s retry interval and a 10 s close timeout.
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
        .closeTimeout(closeTimeout);
  }

  /** Collects the settings; setters reject null, {@link #build()} checks the rest. Not thread-safe. */
  public static final class Builder {
    private int queueCapacity = 10_000;
    private int maxBatch = 2_000;
    private Duration maxDelay = Duration.ofMillis(200);
    private Duration retryInterval = Duration.ofSeconds(5);
    private Path spillDir;
    private Duration closeTimeout = Duration.ofSeconds(10);

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

    /**
     * @throws IllegalStateException when spillDir was not set
     * @throws IllegalArgumentException when queueCapacity or maxBatch is below 1
     */
    public LedgerWriterOptions build() {
      if (spillDir == null) {
        throw new IllegalStateException("LedgerWriterOptions.builder() needs spillDir set");
      }
      return new LedgerWriterOptions(queueCapacity, maxBatch, maxDelay, retryInterval, spillDir, closeTimeout);
    }
  }
}
