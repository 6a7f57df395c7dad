package dev.spillway.bench;

import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.cache.semantic.InMemorySemanticIndex;
import dev.spillway.core.cache.semantic.LexicalGuard;
import dev.spillway.core.cache.semantic.LocalMiniLmEmbedder;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.cache.semantic.SemanticMatch;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.core.usage.TokenUsage;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The semantic cache's two costs on the request path, in this process, one thread: (a) embedding a 30-token message
 * with the in-process model ({@link LocalMiniLmEmbedder}), warm; (b) a lookup in {@link InMemorySemanticIndex},
 * embedding excluded, in one partition of random unit vectors of the model's 384 dimensions, once small enough to be
 * searched exhaustively and once large (100,000 entries by default) and searched through its HNSW graph. Half
 * of the lookups are made at similarity 0.97 to a stored entry (a hit at the default threshold 0.95, which the report
 * checks was found), half are random (a miss: nothing stored is near). The index's graph maintenance runs on the
 * putting thread here, so the build is complete (but for the changes short of a refresh, which lookups scan, as in
 * service) before the first lookup. {@code bench/run-cache-speed} builds and runs it.
 */
public final class CacheSpeedBenchmark {
  static final double THRESHOLD = 0.95;
  static final double NEAR_SIMILARITY = 0.97;
  static final String PARTITION = "bench";
  static final int MESSAGE_TOKENS = 30;

  private CacheSpeedBenchmark() {}

  public static void main(String[] args) {
    CacheSpeedSettings settings;
    try {
      settings = CacheSpeedSettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n")
          + CacheSpeedSettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    CacheSpeedRun run = run(settings, System.out);
    Path md = CacheSpeedReport.write(run);
    System.out.println();
    System.out.println(CacheSpeedReport.embeddingVerdict(run));
    System.out.println(CacheSpeedReport.lookupVerdict(run));
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  static CacheSpeedRun run(CacheSpeedSettings s, PrintStream log) {
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    log.println("embedding...");
    CacheSpeedRun.Embedding embedding = embedding(s);
    log.printf("  p50 %.2f ms, p99 %.2f ms%n", embedding.latency().p50Millis(), embedding.latency().p99Millis());
    List<CacheSpeedRun.Lookups> lookups = new ArrayList<>();
    for (int entries : List.of(s.exactEntries(), s.entries())) {
      log.printf("lookups among %,d entries...%n", entries);
      CacheSpeedRun.Lookups l = lookups(s, entries);
      log.printf("  built in %.1f s; p50 %.3f ms, p99 %.3f ms; planted neighbours found %d of %d%n", l.buildSeconds(),
          l.all().p50Millis(), l.all().p99Millis(), l.nearFound(), l.near().samples());
      lookups.add(l);
    }
    double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<String> notes = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    if (Math.max(loadAtStart, loadAtEnd) > cores / 2.0) {
      notes.add(ReportEnvironment.f("The machine was not quiet: load average %.1f at the start and %.1f at the end"
          + " on %d cores; the tails are the first to suffer.", loadAtStart, loadAtEnd, cores));
    }
    boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (!vectorApi) {
      notes.add("Run without the JDK's Vector API: Lucene's dot products fall back to scalar code (the graph's build"
          + " and search take about twice as long here); bench/run-cache-speed passes --add-modules"
          + " jdk.incubator.vector.");
    }
    return new CacheSpeedRun(s, startedAt, loadAtStart, loadAtEnd, vectorApi, embedding, lookups, notes);
  }

  static CacheSpeedRun.Embedding embedding(CacheSpeedSettings s) {
    List<String> messages = FixedLengthMessages.make(20, MESSAGE_TOKENS, TokenEstimator.byModelFamily());
    LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder();
    long t0 = System.nanoTime();
    embedder.embed(messages.get(0));
    double firstCallMillis = (System.nanoTime() - t0) / 1e6;
    for (int i = 0; i < s.warmups(); i++) {
      embedder.embed(messages.get(i % messages.size()));
    }
    List<Long> nanos = new ArrayList<>(s.embeddings());
    for (int i = 0; i < s.embeddings(); i++) {
      String m = messages.get(i % messages.size());
      long start = System.nanoTime();
      embedder.embed(m);
      nanos.add(System.nanoTime() - start);
    }
    return new CacheSpeedRun.Embedding(embedder.id(), MESSAGE_TOKENS, messages.size(), firstCallMillis, LatencySummary.of(nanos));
  }

  static CacheSpeedRun.Lookups lookups(CacheSpeedSettings s, int entries) {
    int dims = LocalMiniLmEmbedder.DIMENSIONS;
    Random random = new Random(entries);
    InMemorySemanticIndex index =
        new InMemorySemanticIndex(entries * 2L, 1L << 40, s.exactSearchBelow(), Runnable::run);
    float[][] stored = new float[entries][];
    byte[] completion = "{\"object\":\"chat.completion\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    for (int i = 0; i < entries; i++) {
      stored[i] = randomUnit(random, dims);
      CachedAnswer answer = new CachedAnswer("e" + i, "tenant", "model", completion, TokenUsage.of(30, 100), 0,
          Long.MAX_VALUE);
      index.put(new SemanticEntry(PARTITION, "question " + i, stored[i], answer), 0);
    }
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    System.gc();
    Runtime rt = Runtime.getRuntime();
    double heapMiB = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;

    for (int i = 0; i < Math.max(s.warmups(), 1_000); i++) {
      lookup(index, random, stored, dims, i % 2 == 0);
    }
    List<Long> near = new ArrayList<>();
    List<Long> far = new ArrayList<>();
    List<Long> all = new ArrayList<>();
    long found = 0;
    for (int i = 0; i < s.lookups(); i++) {
      boolean isNear = random.nextBoolean();
      Timed t = lookup(index, random, stored, dims, isNear);
      (isNear ? near : far).add(t.nanos());
      all.add(t.nanos());
      if (isNear && t.found()) {
        found++;
      }
    }
    return new CacheSpeedRun.Lookups(entries, entries >= s.exactSearchBelow(), dims, buildSeconds, heapMiB,
        LatencySummary.of(near), LatencySummary.of(far), LatencySummary.of(all), found);
  }

  private record Timed(long nanos, boolean found) {}

  /** One lookup near a random stored entry ({@code near}: found when that entry answers) or of a random vector. */
  private static Timed lookup(InMemorySemanticIndex index, Random random, float[][] stored, int dims, boolean near) {
    int j = random.nextInt(stored.length);
    float[] query = near ? nearTo(stored[j], NEAR_SIMILARITY, random) : randomUnit(random, dims);
    long start = System.nanoTime();
    Optional<SemanticMatch> m = index.nearest(PARTITION, "q", query, THRESHOLD, LexicalGuard.NONE, 1);
    long nanos = System.nanoTime() - start;
    return new Timed(nanos, near && m.isPresent() && m.get().entry().id().equals("e" + j));
  }

  static float[] randomUnit(Random random, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return unit(v);
  }

  /** A unit vector whose cosine similarity with the unit vector {@code base} is {@code similarity}. */
  static float[] nearTo(float[] base, double similarity, Random random) {
    float[] r = randomUnit(random, base.length);
    double along = 0;
    for (int i = 0; i < base.length; i++) {
      along += (double) r[i] * base[i];
    }
    for (int i = 0; i < base.length; i++) {
      r[i] = (float) (r[i] - along * base[i]);
    }
    r = unit(r);
    double across = Math.sqrt(1 - similarity * similarity);
    float[] v = new float[base.length];
    for (int i = 0; i < base.length; i++) {
      v[i] = (float) (similarity * base[i] + across * r[i]);
    }
    return unit(v);
  }

  private static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double n = Math.sqrt(sum);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / n);
    }
    return v;
  }
}
