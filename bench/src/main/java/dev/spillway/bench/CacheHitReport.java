package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Writes {@link CacheHitBenchmark}'s report: {@code cache-hit.md} and {@code cache-hit.json}. */
final class CacheHitReport {
  /** A hit's round trip at low load may take at most this (issue 16). */
  static final double HIT_P99_TARGET_MILLIS = 1.0;

  private CacheHitReport() {}

  static Path write(CacheHitBenchmark.Result r) {
    return ReportEnvironment.write(r.settings().out(), "cache-hit", () -> markdown(r), () -> json(r));
  }

  static boolean latencyPass(CacheHitBenchmark.Result r) {
    return r.lowLoad().p99Millis() <= HIT_P99_TARGET_MILLIS;
  }

  static boolean cpuPass(CacheHitBenchmark.Result r) {
    return r.hit().median() < r.proxied().median();
  }

  static String markdown(CacheHitBenchmark.Result r) {
    StringBuilder sb = new StringBuilder("# Response cache: what an exact hit costs\n\n");
    sb.append(ReportEnvironment.header("CacheHitBenchmark", "bench/run-cache-hit",
        "The gateway and the simulator are their own processes on this machine, unpinned, beside the load generator.",
        r.startedAt(), r.loadAtStart(), r.loadAtEnd()));
    CacheHitBenchmark.Settings s = r.settings();
    sb.append(f("The shipped gateway (`spillway serve`: key auth, the SQLite ledger, `cache: {ttl: 1h}`) in front of a"
        + " zero-latency simulator. **CPU per request** is the gateway process's CPU time (user + system, `/proc`) over"
        + " %,d requests of one kind from %d closed-loop connections, the kinds in turns, %d rounds; the median of the"
        + " rounds. **Low-load round trip**: one client thread with blocking reads on a"
        + " kept-alive connection, one request at a time, %.0f per second for %d s after a second of warm-up, timed from"
        + " the request's write to the answer's last byte on loopback.%n%n", s.requests(), s.connections(), s.rounds(), s.lowRate(),
        s.lowSeconds()));
    sb.append("| kind | CPU µs per request (median) | rounds | what the cache said |\n|---|---:|---|---|\n");
    for (CacheHitBenchmark.Kind k : new CacheHitBenchmark.Kind[] {r.hit(), r.proxied(), r.miss()}) {
      sb.append(f("| %s | %.1f | %s | %s |%n", k.name(), k.median(), rounds(k), k.cacheHeaders()));
    }
    sb.append(f("%nA hit costs **%.2f×** the CPU of a proxied request (%.1f vs %.1f µs): **%s** (target: below 1×).%n%n",
        r.hit().median() / r.proxied().median(), r.hit().median(), r.proxied().median(), cpuPass(r) ? "PASS" : "FAIL"));
    sb.append(f("Exact hits at low load: p50 %.3f ms, **p99 %.3f ms**, max %.3f ms over %,d requests: **%s** (target: p99"
        + " ≤ %.1f ms).%n%n", r.lowLoad().p50Millis(), r.lowLoad().p99Millis(), r.lowLoad().maxMillis(),
        r.lowLoad().samples(), latencyPass(r) ? "PASS" : "FAIL", HIT_P99_TARGET_MILLIS));
    sb.append(f("Baseline, the same client to the simulator directly, alternating with the hits: p50 %.3f ms, p99 %.3f ms,"
        + " max %.3f ms over %,d requests (the floor of client, loopback and an HTTP answer on this machine).%n%n",
        r.directLowLoad().p50Millis(), r.directLowLoad().p99Millis(), r.directLowLoad().maxMillis(),
        r.directLowLoad().samples()));
    sb.append(f("Round trips over 1 ms: %d of the hits, %d of the direct requests; median time between two slow ones %.0f"
        + " ms and %.0f ms. A steady spacing while requests come every %.0f ms means the slow ones follow a clock of the"
        + " machine's (a stall that any JVM server here meets, the simulator alike), not the gateway's work.%n",
        r.slowHits().count(), r.slowDirect().count(), r.slowHits().medianSpacingMillis(),
        r.slowDirect().medianSpacingMillis(), 1000 / s.lowRate()));
    return sb.toString();
  }

  private static String rounds(CacheHitBenchmark.Kind k) {
    StringBuilder sb = new StringBuilder();
    for (double d : k.cpuMicros()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(f("%.1f", d));
    }
    return sb.toString();
  }

  static JsonObject json(CacheHitBenchmark.Result r) {
    JsonObject kinds = new JsonObject();
    for (CacheHitBenchmark.Kind k : new CacheHitBenchmark.Kind[] {r.hit(), r.proxied(), r.miss()}) {
      kinds.put(k.name(), new JsonObject().put("cpuMicrosPerRequestMedian", k.median())
          .put("cpuMicrosPerRequestRounds", new JsonArray(k.cpuMicros())).put("cacheHeaders", new JsonObject(
              new java.util.LinkedHashMap<String, Object>(k.cacheHeaders()))));
    }
    return new JsonObject()
        .put("environment", ReportEnvironment.json(r.startedAt(), r.loadAtStart(), r.loadAtEnd()))
        .put("requestsPerRound", r.settings().requests())
        .put("connections", r.settings().connections())
        .put("kinds", kinds)
        .put("hitOverProxiedCpu", r.hit().median() / r.proxied().median())
        .put("cpuVerdict", cpuPass(r) ? "PASS" : "FAIL")
        .put("lowLoad", new JsonObject().put("ratePerSecond", r.settings().lowRate()).put("samples", r.lowLoad().samples())
            .put("p50Millis", r.lowLoad().p50Millis()).put("p99Millis", r.lowLoad().p99Millis())
            .put("maxMillis", r.lowLoad().maxMillis()).put("overOneMilli", r.slowHits().count())
            .put("slowMedianSpacingMillis", r.slowHits().medianSpacingMillis()))
        .put("directLowLoad", new JsonObject().put("samples", r.directLowLoad().samples())
            .put("p50Millis", r.directLowLoad().p50Millis()).put("p99Millis", r.directLowLoad().p99Millis())
            .put("maxMillis", r.directLowLoad().maxMillis()).put("overOneMilli", r.slowDirect().count())
            .put("slowMedianSpacingMillis", r.slowDirect().medianSpacingMillis()))
        .put("latencyVerdict", latencyPass(r) ? "PASS" : "FAIL");
  }
}
