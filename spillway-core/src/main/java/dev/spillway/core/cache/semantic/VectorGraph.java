package dev.spillway.core.cache.semantic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * One HNSW graph over entries' vectors, built one node at a time with Lucene's {@link HnswGraphBuilder} and searched
 * with its {@link HnswGraphSearcher}. The vectors are the entries' own arrays (no copy); a node is numbered by its
 * insertion order, and a removed entry's node stays as a way through the graph, filtered out of every result.
 *
 * <p>Parameters: {@value #MAX_CONN} neighbours per node and a beam of {@value #BEAM_WIDTH} while building (Lucene's
 * defaults, which hold recall on 384-dimension sentence vectors); the search's beam is the caller's. A fixed seed, so
 * a graph built from the same insertions is the same graph.
 *
 * <p>Not thread-safe: {@link HnswVectors} writes it under its write lock and searches it under its read lock.
 */
final class VectorGraph {
  static final int MAX_CONN = 16;
  static final int BEAM_WIDTH = 100;
  /** A graph is rebuilt once its removed nodes outnumber its live ones, and are at least this many. */
  static final int MIN_REMOVED_TO_REBUILD = 64;
  private static final long SEED = 42;

  private float[][] vectors = new float[64][];
  private IndexedEntry[] entries = new IndexedEntry[64];
  private int nodes;
  private int live;
  private final Map<Long, Integer> nodeBySerial = new HashMap<>();
  private final HnswGraphBuilder builder;

  VectorGraph() throws IOException {
    builder = HnswGraphBuilder.create(new BuildScorers(), MAX_CONN, BEAM_WIDTH, SEED);
  }

  void insert(IndexedEntry e) throws IOException {
    if (nodes == vectors.length) {
      vectors = Arrays.copyOf(vectors, nodes * 2);
      entries = Arrays.copyOf(entries, nodes * 2);
    }
    int node = nodes;
    vectors[node] = e.entry().vector();
    entries[node] = e;
    nodes++;
    live++;
    nodeBySerial.put(e.serial(), node);
    builder.addGraphNode(node);
  }

  void delete(long serial) {
    Integer node = nodeBySerial.remove(serial);
    if (node != null && entries[node] != null) {
      entries[node] = null;
      live--;
    }
  }

  /** The live entries nearest {@code query}, up to {@code beam} of them (the search's breadth), nearest first. */
  List<IndexedEntry> nearest(float[] query, int beam) throws IOException {
    if (live == 0) {
      return List.of();
    }
    TopKnnCollector collector = new TopKnnCollector(beam, Integer.MAX_VALUE);
    HnswGraphSearcher.search(new QueryScorer(query), collector, new Cursor(builder.getGraph()), new LiveNodes());
    ScoreDoc[] found = collector.topDocs().scoreDocs;
    List<IndexedEntry> out = new ArrayList<>(found.length);
    for (ScoreDoc d : found) {
      IndexedEntry e = entries[d.doc];
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** Whether removed nodes outnumber live ones enough to rebuild. */
  boolean worn() {
    int removed = nodes - live;
    return removed >= MIN_REMOVED_TO_REBUILD && removed > live;
  }

  /** A new graph of this one's live entries, in their insertion order. */
  VectorGraph rebuilt() throws IOException {
    VectorGraph g = new VectorGraph();
    for (int i = 0; i < nodes; i++) {
      if (entries[i] != null) {
        g.insert(entries[i]);
      }
    }
    return g;
  }

  int live() {
    return live;
  }

  int nodes() {
    return nodes;
  }

  /** Lucene's score for the dot product of unit vectors: (1 + cosine) / 2, in [0, 1]. */
  private static float score(float[] a, float[] b) {
    return Math.max((1 + VectorUtil.dotProduct(a, b)) / 2, 0f);
  }

  /** Scores nodes against a node, for the builder (which moves it from node to node). */
  private final class BuildScorers implements RandomVectorScorerSupplier {
    @Override
    public UpdateableRandomVectorScorer scorer() {
      return new UpdateableRandomVectorScorer() {
        private float[] from;

        @Override
        public void setScoringOrdinal(int node) {
          from = vectors[node];
        }

        @Override
        public float score(int node) {
          return VectorGraph.score(from, vectors[node]);
        }

        @Override
        public int maxOrd() {
          return nodes;
        }
      };
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return this;
    }
  }

  /** Scores nodes against a query. */
  private final class QueryScorer implements RandomVectorScorer {
    private final float[] query;

    QueryScorer(float[] query) {
      this.query = query;
    }

    @Override
    public float score(int node) {
      return VectorGraph.score(query, vectors[node]);
    }

    @Override
    public int maxOrd() {
      return nodes;
    }
  }

  /**
   * One search's way through the graph. Lucene's graph walks its neighbours through a cursor it holds itself ({@code
   * seek}, then {@code nextNeighbor}), so two searches walking the same graph at once move each other's cursor (seen
   * as a search stepping from a node's level-0 neighbours onto level 1, where that node is not); each search walks
   * through a cursor of its own over the same neighbour lists instead.
   */
  private static final class Cursor extends HnswGraph {
    private final OnHeapHnswGraph graph;
    private NeighborArray current;
    private int upto;

    Cursor(OnHeapHnswGraph graph) {
      this.graph = graph;
    }

    @Override
    public void seek(int level, int target) {
      current = graph.getNeighbors(level, target);
      upto = -1;
    }

    @Override
    public int nextNeighbor() {
      return ++upto < current.size() ? current.nodes()[upto] : DocIdSetIterator.NO_MORE_DOCS;
    }

    @Override
    public int neighborCount() {
      return current.size();
    }

    @Override
    public int size() {
      return graph.size();
    }

    @Override
    public int maxNodeId() {
      return graph.maxNodeId();
    }

    @Override
    public int numLevels() {
      return graph.numLevels();
    }

    @Override
    public int maxConn() {
      return graph.maxConn();
    }

    @Override
    public int entryNode() {
      return graph.entryNode();
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
      return graph.getNodesOnLevel(level);
    }
  }

  /** The nodes whose entries are live: the only ones a search may return. */
  private final class LiveNodes implements Bits {
    @Override
    public boolean get(int node) {
      return entries[node] != null;
    }

    @Override
    public int length() {
      return nodes;
    }
  }
}
