package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.core.cache.semantic.InMemorySemanticIndex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Writes a {@link CacheSpeedRun} as {@code cache-speed.md} and {@code cache-speed.json}. Pure text building. */
final class CacheSpeedReport {
  static final String NAME = "cache-speed";

  private CacheSpeedReport() {}

  static Path write(CacheSpeedRun run) {
    return ReportEnvironment.write(run.settings().outDir(), NAME, () -> markdown(run), () -> json(run));
  }

  static String embeddingVerdict(CacheSpeedRun run) {
    CacheSpeedRun.Embedding e = run.embedding();
    return f("**%s** — in-process embedding of a %d-token message ≤ %.0f ms p99: p99 %.2f ms, p50 %.2f ms (%,d calls,"
            + " warm, one thread; `%s`).", e.pass() ? "PASS" : "FAIL", e.messageTokens(),
        CacheSpeedSettings.EMBED_P99_LIMIT_MS, e.latency().p99Millis(), e.latency().p50Millis(),
        e.latency().samples(), e.embedderId());
  }

  static String lookupVerdict(CacheSpeedRun run) {
    CacheSpeedRun.Lookups l = run.large();
    String size = run.atTargetSize()
        ? ""
        : f(" (NOT the target's %,d entries: a smaller run, which does not decide the target)",
            CacheSpeedSettings.TARGET_ENTRIES);
    return f("**%s** — semantic lookup ≤ %.0f ms p99 at %,d entries, embedding excluded: p99 %.3f ms, p50 %.3f ms"
            + " through HNSW (%,d lookups)%s.", l.pass() && run.atTargetSize() ? "PASS" : "FAIL",
        CacheSpeedSettings.LOOKUP_P99_LIMIT_MS, l.entries(), l.all().p99Millis(), l.all().p50Millis(),
        l.all().samples(), size);
  }

  static String markdown(CacheSpeedRun run) {
    CacheSpeedSettings s = run.settings();
    CacheSpeedRun.Embedding e = run.embedding();
    StringBuilder md = new StringBuilder("# Cache speed\n\n");
    md.append(ReportEnvironment.header("CacheSpeedBenchmark", "bench/run-cache-speed",
        "One JVM, one measuring thread; the index's graph maintenance runs on the same thread while it is built.",
        run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()));
    md.append("## Verdict\n\n").append(embeddingVerdict(run)).append("\n\n").append(lookupVerdict(run))
        .append("\n\n");

    md.append("## Setup\n\n");
    md.append(f("- **Embedding**: `LocalMiniLmEmbedder` (quantized all-MiniLM-L6-v2, ONNX Runtime in the process,"
            + " %d dimensions). %d different questions of everyday English words, each exactly %d tokens as the"
            + " gateway counts them (o200k), embedded in turn on one thread: %,d unmeasured calls, then %,d measured."
            + " The first call, which loads the model, took %.0f ms.\n", 384, e.messages(), e.messageTokens(),
        s.warmups(), s.embeddings(), e.firstCallMillis()));
    md.append(f("- **Lookups**: `InMemorySemanticIndex.nearest` in one partition of random unit vectors (%d"
            + " dimensions), threshold %.2f, no lexical guard; a partition of %,d entries or more is searched"
            + " through one HNSW graph (Lucene's builder and searcher: %d neighbours per node, beam %d while"
            + " building, %d while searching; the %d most similar at or above the threshold are the candidates),"
            + " a smaller one exhaustively. The JDK's Vector API (`--add-modules jdk.incubator.vector`, which"
            + " Lucene's vector kernels use) was %s. Half the lookups are at similarity %.2f to a random stored"
            + " entry (a hit: *found* counts those answered by that entry), half are random vectors (a miss). %,d"
            + " unmeasured lookups first. The embedding is not in these figures.\n",
        run.lookups().get(0).dimensions(), CacheSpeedBenchmark.THRESHOLD, s.exactSearchBelow(),
        InMemorySemanticIndex.GRAPH_MAX_CONN, InMemorySemanticIndex.GRAPH_BUILD_BEAM,
        InMemorySemanticIndex.GRAPH_SEARCH_BEAM, InMemorySemanticIndex.CANDIDATES, run.vectorApi() ? "on" : "off",
        CacheSpeedBenchmark.NEAR_SIMILARITY, Math.max(s.warmups(), 1_000)));
    md.append("- *Build*: putting every entry, the graph's insertions included (on the putting"
        + " thread here; in the gateway they run on a maintenance thread, one insertion at a time). *Heap*: the whole process's heap in use"
        + " after a full collection, the index built.\n\n");

    md.append("## Embedding\n\n| calls | p50 | p99 | max | first call (model load) |\n|---:|---:|---:|---:|---:|\n");
    md.append(f("| %,d | %.2f ms | %.2f ms | %.2f ms | %.0f ms |\n\n", e.latency().samples(), e.latency().p50Millis(),
        e.latency().p99Millis(), e.latency().maxMillis(), e.firstCallMillis()));

    md.append("## Lookups\n\n| entries | search | build | heap | lookups | p50 | p99 | max | hits: p99 | misses:"
        + " p99 | planted found |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CacheSpeedRun.Lookups l : run.lookups()) {
      md.append(f("| %,d | %s | %.1f s | %.0f MiB | %,d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %,d of"
              + " %,d (%.1f %%) |\n", l.entries(), l.graph() ? "HNSW" : "exhaustive", l.buildSeconds(),
          l.heapAfterBuildMiB(), l.all().samples(), l.all().p50Millis(), l.all().p99Millis(), l.all().maxMillis(),
          l.near().p99Millis(), l.far().p99Millis(), l.nearFound(), l.near().samples(), 100 * l.recall()));
    }
    md.append("\n");
    if (!run.notes().isEmpty()) {
      md.append("## Notes\n\n");
      for (String n : run.notes()) {
        md.append("- ").append(n).append("\n");
      }
    }
    return md.toString();
  }

  static JsonObject json(CacheSpeedRun run) {
    CacheSpeedSettings s = run.settings();
    CacheSpeedRun.Embedding e = run.embedding();
    JsonArray lookups = new JsonArray();
    for (CacheSpeedRun.Lookups l : run.lookups()) {
      lookups.add(new JsonObject()
          .put("entries", l.entries())
          .put("search", l.graph() ? "hnsw" : "exhaustive")
          .put("dimensions", l.dimensions())
          .put("buildSeconds", l.buildSeconds())
          .put("heapAfterBuildMiB", l.heapAfterBuildMiB())
          .put("all", latency(l.all()))
          .put("near", latency(l.near()))
          .put("far", latency(l.far()))
          .put("nearFound", l.nearFound())
          .put("recall", l.recall()));
    }
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()))
        .put("settings", new JsonObject()
            .put("entries", s.entries())
            .put("exactEntries", s.exactEntries())
            .put("exactSearchBelow", s.exactSearchBelow())
            .put("lookups", s.lookups())
            .put("embeddings", s.embeddings())
            .put("warmups", s.warmups())
            .put("threshold", CacheSpeedBenchmark.THRESHOLD)
            .put("nearSimilarity", CacheSpeedBenchmark.NEAR_SIMILARITY)
            .put("vectorApi", run.vectorApi())
            .put("graphMaxConn", InMemorySemanticIndex.GRAPH_MAX_CONN)
            .put("graphBuildBeam", InMemorySemanticIndex.GRAPH_BUILD_BEAM)
            .put("graphSearchBeam", InMemorySemanticIndex.GRAPH_SEARCH_BEAM))
        .put("verdict", new JsonObject()
            .put("embedP99LimitMillis", CacheSpeedSettings.EMBED_P99_LIMIT_MS)
            .put("embedPass", e.pass())
            .put("lookupP99LimitMillis", CacheSpeedSettings.LOOKUP_P99_LIMIT_MS)
            .put("lookupAtTargetSize", run.atTargetSize())
            .put("lookupPass", run.large().pass() && run.atTargetSize()))
        .put("embedding", new JsonObject()
            .put("embedder", e.embedderId())
            .put("messageTokens", e.messageTokens())
            .put("messages", e.messages())
            .put("firstCallMillis", e.firstCallMillis())
            .put("latency", latency(e.latency())))
        .put("lookups", lookups)
        .put("notes", new JsonArray(run.notes()));
  }

  private static JsonObject latency(LatencySummary l) {
    return new JsonObject()
        .put("samples", l.samples())
        .put("p50Millis", l.p50Millis())
        .put("p99Millis", l.p99Millis())
        .put("maxMillis", l.maxMillis());
  }
}
