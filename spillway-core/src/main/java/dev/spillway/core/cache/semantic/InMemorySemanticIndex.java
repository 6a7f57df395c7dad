package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.BoundedLru;
import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The semantic layer's entries in this process.
 *
 * <p><b>Layout.</b> Every entry is in one {@link BoundedLru} (by id, across all partitions), which keeps the count and
 * byte bounds, the least-recently-used order and the expiry; and in its {@link SemanticPartition}, which a lookup
 * searches: exhaustively below {@code exactSearchBelow} entries, through an HNSW graph (Lucene's) above. Both change
 * together under one lock, so an entry is in its partition exactly while the LRU holds it: whatever the LRU drops
 * (evicted, expired, replaced, invalidated) leaves its partition at once, and its graph soon after.
 *
 * <p><b>Lookups</b> take no lock: the partition proposes up to {@value #CANDIDATES} entries at least as similar as
 * the threshold (similarity recomputed from each entry's own vector), and the first, most similar first, that has not
 * expired and that the guard lets stand is the answer; a hit makes it the most recently used. An expired entry met on
 * the way is removed.
 *
 * <p><b>Costs.</b> {@link #put}, {@link #invalidate}, {@link #size} and {@link #bytes} are hash-map work under the
 * lock (an invalidation by tenant or model walks every entry). {@link #nearest} on an exhaustive partition compares
 * with each entry; on a large one it searches the graph and the few entries added since the graph was last written.
 * Graph insertions and rebuilds run on the maintenance executor, never on a caller's thread.
 */
public final class InMemorySemanticIndex implements SemanticIndex {
  /** How many candidates a lookup takes from a partition (and asks a graph for): room for guards to refuse some. */
  public static final int CANDIDATES = 16;
  /** The graph's parameters (for reports): neighbours per node, beam while building, beam while searching. */
  public static final int GRAPH_MAX_CONN = VectorGraph.MAX_CONN;
  public static final int GRAPH_BUILD_BEAM = VectorGraph.BEAM_WIDTH;
  public static final int GRAPH_SEARCH_BEAM = HnswVectors.SEARCH_BEAM;
  /** A graph is written once this many changes have queued; until then new entries are compared exhaustively. */
  static final int GRAPH_BATCH = 64;

  private static final ExecutorService SHARED_MAINTENANCE = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "spillway-semantic-index");
    t.setDaemon(true);
    return t;
  });

  private final BoundedLru<SemanticEntry> entries;
  private final long maxBytes;
  private final int exactSearchBelow;
  private final int graphBatch;
  private final Executor maintenance;
  private final ConcurrentHashMap<String, SemanticPartition> partitions = new ConcurrentHashMap<>();
  private final AtomicLong serials = new AtomicLong();
  private final Object lock = new Object();

  /** An index whose graphs are maintained on one daemon thread shared by every index of the process. */
  public InMemorySemanticIndex(long maxEntries, long maxBytes, int exactSearchBelow) {
    this(maxEntries, maxBytes, exactSearchBelow, SHARED_MAINTENANCE);
  }

  /** An index whose graphs are maintained on {@code maintenance} (one run per graph at a time). */
  public InMemorySemanticIndex(long maxEntries, long maxBytes, int exactSearchBelow, Executor maintenance) {
    this(maxEntries, maxBytes, exactSearchBelow, maintenance, GRAPH_BATCH);
  }

  InMemorySemanticIndex(long maxEntries, long maxBytes, int exactSearchBelow, Executor maintenance, int graphBatch) {
    if (exactSearchBelow < 1 || graphBatch < 1) {
      throw new IllegalArgumentException("exactSearchBelow and graphBatch must be positive");
    }
    this.entries = new BoundedLru<>(maxEntries, maxBytes, SemanticEntry::weight, e -> e.answer().expiresAtMillis());
    this.maxBytes = maxBytes;
    this.exactSearchBelow = exactSearchBelow;
    this.graphBatch = graphBatch;
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
  }

  /** An index with the bounds and the exhaustive-search limit of {@code settings}. */
  public static InMemorySemanticIndex of(CacheSettings.Resolved settings) {
    return new InMemorySemanticIndex(settings.maxEntries(), settings.maxBytes(), settings.exactSearchBelow());
  }

  @Override
  public Optional<SemanticMatch> nearest(
      String partition, String question, float[] vector, double threshold, LexicalGuard guard, long nowMillis) {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(guard, "guard");
    SemanticPartition p = partitions.get(partition);
    if (p == null) {
      return Optional.empty();
    }
    requireDimensions(p, vector);
    List<String> suspects = new ArrayList<>(0);
    Optional<SemanticMatch> match = Optional.empty();
    for (TopCandidates.Candidate c : p.candidates(vector, threshold, CANDIDATES)) {
      SemanticEntry e = c.entry();
      if (e.answer().expired(nowMillis)) {
        suspects.add(e.id());
        continue;
      }
      if (guard.refuse(question, e.question()).isPresent()) {
        continue;
      }
      // Makes it the most recently used; another entry there (or none) means this one left since it was proposed.
      Optional<SemanticEntry> live = entries.get(e.id(), nowMillis);
      if (live.isPresent() && live.get() == e) {
        match = Optional.of(new SemanticMatch(e, c.similarity()));
        break;
      }
      suspects.add(e.id());
    }
    if (!suspects.isEmpty()) {
      settle(partition, suspects, nowMillis);
    }
    return match;
  }

  @Override
  public void put(SemanticEntry entry, long nowMillis) {
    requireUnit(entry.vector());
    List<HnswVectors> due = new ArrayList<>(1);
    synchronized (lock) {
      SemanticPartition p = partitions.get(entry.partition());
      if (p != null) {
        requireDimensions(p, entry.vector());
      }
      entries.remove(entry.id()).ifPresent(old -> detach(old, due));
      if (entry.answer().expired(nowMillis) || entry.weight() > maxBytes) {
        schedule(due);
        return;
      }
      List<SemanticEntry> dropped = entries.put(entry.id(), entry, nowMillis);
      partitions
          .computeIfAbsent(entry.partition(), k -> new SemanticPartition(entry.vector().length, exactSearchBelow,
              graphBatch))
          .add(new IndexedEntry(serials.incrementAndGet(), entry), due);
      for (SemanticEntry d : dropped) {
        detach(d, due);
      }
    }
    schedule(due);
  }

  @Override
  public long invalidate(CacheScope scope) {
    List<HnswVectors> due = new ArrayList<>(1);
    List<SemanticEntry> removed;
    synchronized (lock) {
      if (!scope.key().isEmpty()) {
        removed = entries.get(scope.key(), Long.MIN_VALUE)
            .filter(e -> scope.matches(e.answer()))
            .flatMap(e -> entries.remove(e.id()))
            .stream()
            .toList();
      } else {
        removed = entries.removeIf(e -> scope.matches(e.answer()));
      }
      for (SemanticEntry e : removed) {
        detach(e, due);
      }
    }
    schedule(due);
    return removed.size();
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public long bytes() {
    return entries.bytes();
  }

  /** Entries dropped to keep within the bounds, since the index was made. */
  public long evictions() {
    return entries.evictions();
  }

  /**
   * Removes, from the LRU and their partition, the expired entries under {@code ids} that a lookup met; and takes out
   * of the partition any entry there the LRU no longer holds (the LRU drops an expired entry when read, so one
   * replaced and expired between a lookup's steps could otherwise linger in its partition).
   */
  private void settle(String partition, List<String> ids, long nowMillis) {
    List<HnswVectors> due = new ArrayList<>(1);
    synchronized (lock) {
      SemanticPartition p = partitions.get(partition);
      for (String id : ids) {
        Optional<SemanticEntry> live = entries.get(id, nowMillis);
        SemanticEntry held = p == null ? null : p.entry(id);
        if (held != null && (live.isEmpty() || live.get() != held)) {
          detach(held, due);
        }
      }
    }
    schedule(due);
  }

  /** Takes {@code e}, which the LRU no longer holds, out of its partition; drops the partition once empty. */
  private void detach(SemanticEntry e, List<HnswVectors> due) {
    SemanticPartition p = partitions.get(e.partition());
    if (p != null && p.remove(e, due) && p.isEmpty()) {
      partitions.remove(e.partition(), p);
    }
  }

  private void schedule(List<HnswVectors> due) {
    for (HnswVectors g : due) {
      try {
        maintenance.execute(g::maintain);
      } catch (RejectedExecutionException e) {
        // The executor is shutting down: the changes stay queued and searched exhaustively.
      }
    }
  }

  private static void requireDimensions(SemanticPartition p, float[] vector) {
    if (vector.length != p.dimensions()) {
      throw new IllegalArgumentException(
          "a vector of " + vector.length + " dimensions for a partition of " + p.dimensions());
    }
  }

  /** Embedders give unit vectors (their dot product is their cosine); one that does not is a bug, not a request. */
  private static void requireUnit(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (v.length == 0 || Math.abs(sum - 1.0) > 1e-3) {
      throw new IllegalArgumentException("not a unit vector (squared length " + sum + ")");
    }
  }

  /** The partition, or null when it holds nothing (for tests). */
  SemanticPartition partition(String name) {
    return partitions.get(name);
  }
}
