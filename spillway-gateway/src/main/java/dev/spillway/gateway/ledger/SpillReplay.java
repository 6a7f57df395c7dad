package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.UsageRecord;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the spill directory's segments to the database ({@link SpillSegments}): seals the active one, then writes
 * every segment on disk, oldest first, in batches of at most {@code maxBatch}, deleting each once all its records are
 * committed. It stops at the first refusal and keeps that segment: its chunks already committed are skipped by the
 * sinks' insert-on-conflict-do-nothing when the next replay writes them again. Lines that do not parse (one torn by a
 * crash) are skipped and counted. Used by the {@link LedgerWriter}'s thread only; its counters are read by any.
 */
final class SpillReplay {
  private static final Logger LOG = System.getLogger(LedgerWriter.class.getName());

  private final SpillSegments segments;
  private final TimedSink sink;
  private final int maxBatch;
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong corruptLines = new AtomicLong();

  SpillReplay(SpillSegments segments, TimedSink sink, int maxBatch) {
    this.segments = segments;
    this.sink = sink;
    this.maxBatch = maxBatch;
  }

  /**
   * Replays every segment on disk: {@code WRITTEN} when all are in the database and gone, else the sink's refusal, or
   * null when the local disk failed (logged).
   */
  TimedSink.Result replayAll() {
    List<Path> sealed;
    try {
      sealed = segments.sealAndList();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot list the ledger spill directory " + segments.dir() + ": " + e);
      return null;
    }
    for (Path segment : sealed) {
      TimedSink.Result result = replay(segment);
      if (result != TimedSink.Result.WRITTEN) {
        return result;
      }
    }
    return TimedSink.Result.WRITTEN;
  }

  /** Records committed from spill segments since start. */
  long replayed() {
    return replayed.get();
  }

  /** Unparseable spill lines skipped since start. */
  long corruptLines() {
    return corruptLines.get();
  }

  /** Writes one segment's records and deletes it; as {@link #replayAll()} for one segment. */
  private TimedSink.Result replay(Path segment) {
    SpillSegments.Segment read;
    try {
      read = SpillSegments.read(segment);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot read spill segment " + segment + ": " + e);
      return null;
    }
    List<UsageRecord> records = read.records();
    for (int from = 0; from < records.size(); from += maxBatch) {
      TimedSink.Result result = sink.write(records.subList(from, Math.min(records.size(), from + maxBatch)));
      if (result != TimedSink.Result.WRITTEN) {
        return result; // segment kept; already-committed chunks are idempotent on the next replay
      }
    }
    try {
      Files.delete(segment);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot delete replayed spill segment " + segment + ": " + e);
      return null;
    }
    replayed.addAndGet(records.size());
    if (read.corruptLines() > 0) {
      corruptLines.addAndGet(read.corruptLines());
      LOG.log(Level.WARNING, "skipped " + read.corruptLines() + " malformed lines in spill segment " + segment);
    }
    return TimedSink.Result.WRITTEN;
  }
}
