package dev.spillway.core.cache.semantic;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A large partition's vectors in a Lucene index in memory, searched through its HNSW graphs (Lucene's defaults: 16
 * neighbours per node, a beam of 100 while building), with the dot product as the similarity.
 *
 * <p><b>Why it may lag, and why that is safe.</b> Writing to Lucene (inserting into a graph, flushing a segment,
 * merging) costs milliseconds, so it never happens on the caller's thread: {@link #add} and {@link #remove} only
 * record the change and queue it, and {@link #maintain}, run on the index's maintenance executor once {@code
 * refreshEvery} changes have queued, applies them and opens a new searcher. Meanwhile a lookup asks the last searcher
 * for its nearest documents and also scans, exhaustively, the entries added since ({@code pending}); every document
 * found is looked up by its serial among the live entries ({@code bySerial}), so one removed but still in the last
 * searcher is skipped, and every similarity is recomputed from the entry's own vector. The graph proposes; the live
 * entries decide.
 *
 * <p>Thread-safe. {@link #add}, {@link #remove} and {@link #retire} are called under the index's lock; {@link
 * #candidates} from any thread without one; {@link #maintain} from the maintenance executor (one run at a time).
 */
final class HnswVectors {
  private static final Logger LOG = System.getLogger("dev.spillway.cache");
  private static final String VECTOR = "vector";
  private static final String SERIAL = "serial";
  private static final String SERIAL_VALUE = "serial_value";

  private sealed interface Change {}

  private record Added(IndexedEntry entry) implements Change {}

  private record Removed(long serial) implements Change {}

  private record Retired() implements Change {}

  private final int refreshEvery;
  private final ConcurrentHashMap<Long, IndexedEntry> bySerial = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, IndexedEntry> pending = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong searchFailures = new AtomicLong();
  private volatile SearcherManager searchers;
  private volatile boolean failed;
  private IndexWriter writer; // the maintenance run's, under this object's lock

  HnswVectors(int refreshEvery) {
    this.refreshEvery = refreshEvery;
  }

  void add(IndexedEntry e) {
    bySerial.put(e.serial(), e);
    pending.put(e.serial(), e);
    queue(new Added(e));
  }

  void remove(IndexedEntry e) {
    bySerial.remove(e.serial());
    pending.remove(e.serial());
    queue(new Removed(e.serial()));
  }

  /** No more lookups go through the graph; the next maintenance run closes it. */
  void retire() {
    queue(new Retired());
  }

  private void queue(Change c) {
    changes.add(c);
    queued.incrementAndGet();
  }

  /**
   * Whether the caller is to run {@link #maintain} on the maintenance executor: when enough changes have queued (or,
   * {@code now}, whatever has) and no run is already scheduled. At most one caller is told yes until the run starts.
   */
  boolean claimMaintenance(boolean now) {
    if (!now && queued.get() < refreshEvery) {
      return false;
    }
    return scheduled.compareAndSet(false, true);
  }

  /** Applies the queued changes to the Lucene index and opens a searcher that sees them. */
  synchronized void maintain() {
    scheduled.set(false);
    if (failed) {
      drop();
      return;
    }
    try {
      List<Long> written = new ArrayList<>();
      for (Change c; (c = changes.poll()) != null; ) {
        queued.decrementAndGet();
        switch (c) {
          case Added a -> {
            if (bySerial.containsKey(a.entry().serial())) {
              writer().addDocument(document(a.entry()));
              written.add(a.entry().serial());
            }
          }
          case Removed r -> {
            if (writer != null) {
              writer.deleteDocuments(new Term(SERIAL, Long.toString(r.serial())));
            }
          }
          case Retired r -> {
            close();
            return;
          }
        }
      }
      if (writer != null) {
        searchers.maybeRefreshBlocking();
      }
      written.forEach(pending::remove);
    } catch (IOException | RuntimeException e) {
      // Never expected of an index in memory; the partition is then searched exhaustively, which stays correct.
      failed = true;
      LOG.log(Level.WARNING, "semantic index: the HNSW graph of a partition failed ({0}); it is searched "
          + "exhaustively from now on", e.getClass().getSimpleName());
      close();
    }
  }

  private IndexWriter writer() throws IOException {
    if (writer == null) {
      TieredMergePolicy merges = new TieredMergePolicy();
      merges.setNoCFSRatio(0.0);
      IndexWriterConfig config = new IndexWriterConfig()
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
          .setCommitOnClose(false)
          .setUseCompoundFile(false)
          .setMergePolicy(merges)
          // Merges (which rebuild graphs) run here, on the maintenance thread, never beside it.
          .setMergeScheduler(new SerialMergeScheduler());
      writer = new IndexWriter(new ByteBuffersDirectory(), config);
      searchers = new SearcherManager(writer, new SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader, org.apache.lucene.index.IndexReader previous) {
          IndexSearcher s = new IndexSearcher(reader);
          s.setQueryCache(null);
          return s;
        }
      });
    }
    return writer;
  }

  private static Document document(IndexedEntry e) {
    Document d = new Document();
    d.add(new KnnFloatVectorField(VECTOR, e.entry().vector(), VectorSimilarityFunction.DOT_PRODUCT));
    d.add(new StringField(SERIAL, Long.toString(e.serial()), Field.Store.NO));
    d.add(new NumericDocValuesField(SERIAL_VALUE, e.serial()));
    return d;
  }

  private void close() {
    SearcherManager s = searchers;
    searchers = null;
    try {
      if (s != null) {
        s.close(); // a searcher a lookup still holds stays open until it is released
      }
      if (writer != null) {
        writer.rollback();
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "semantic index: closing a partition's graph: {0}", e.getClass().getSimpleName());
    }
    writer = null;
    drop();
  }

  private void drop() {
    changes.clear();
    queued.set(0);
  }

  /**
   * Offers {@code top} the graph's {@code k} nearest documents that are still live, and every entry added since the
   * last maintenance run; all live entries when the graph is not usable (not built yet, failed, retired).
   */
  void candidates(TopCandidates top, float[] query, int k) {
    SearcherManager manager = searchers;
    if (manager == null || failed) {
      top.offerAll(bySerial.values());
      return;
    }
    IndexSearcher searcher;
    try {
      searcher = manager.acquire();
    } catch (AlreadyClosedException | IOException e) {
      top.offerAll(bySerial.values());
      return;
    }
    try {
      TopDocs docs = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k), k);
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      for (ScoreDoc d : docs.scoreDocs) {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(d.doc, leaves));
        NumericDocValues serials = leaf.reader().getNumericDocValues(SERIAL_VALUE);
        if (serials != null && serials.advanceExact(d.doc - leaf.docBase)) {
          IndexedEntry e = bySerial.get(serials.longValue());
          if (e != null) {
            top.offer(e);
          }
        }
      }
      top.offerAll(pending.values());
    } catch (IOException | RuntimeException e) {
      searchFailures.incrementAndGet();
      top.offerAll(bySerial.values());
    } finally {
      try {
        manager.release(searcher);
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "semantic index: releasing a searcher: {0}", e.getClass().getSimpleName());
      }
    }
  }

  /** Entries added but not yet in the graph (for tests). */
  int pendingCount() {
    return pending.size();
  }

  /** Searches of the graph that failed and fell back to every entry (for tests). */
  long searchFailures() {
    return searchFailures.get();
  }

  /** Live documents in the last searcher; -1 before the first (for tests). */
  int graphDocuments() {
    SearcherManager manager = searchers;
    if (manager == null) {
      return -1;
    }
    try {
      IndexSearcher s = manager.acquire();
      try {
        return s.getIndexReader().numDocs();
      } finally {
        manager.release(s);
      }
    } catch (IOException e) {
      return -1;
    }
  }
}
