package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a {@link LimitAccuracyRun} as {@code limits.md} (committed) and {@code limits.json}
 * (git-ignored). Pure apart from {@link #write}.
 */
public final class LimitReport {
  private LimitReport() {}

  /** Writes both files into the run's output folder (creating it) and returns the Markdown path. */
  public static Path write(LimitAccuracyRun run) {
    return ReportEnvironment.write(run.settings().outDir(), "limits", () -> markdown(run), () -> json(run));
  }

  public static String markdown(LimitAccuracyRun run) {
    LimitBenchSettings s = run.settings();
    StringBuilder md = new StringBuilder();
    md.append("# Token-limit accuracy benchmark\n\n");
    md.append(
        ReportEnvironment.header(
            "LimitAccuracyBenchmark",
            "bench/run-limits",
            "Clients, gateways, simulator and (for the three replicas) the Redis client share this one JVM and"
                + " its cores; Redis runs beside it on the same machine.",
            run.startedAt(),
            run.loadAverageAtStart(),
            run.loadAverageAtEnd()));
    md.append("## Target\n\n");
    md.append(
        f(
            "%d concurrent clients for %s against a %,d tokens/minute limit: the tokens admitted in a minute"
                + " window are at most **1.01 × the limit on one replica** and at most **1.02 × on three"
                + " replicas sharing Redis**.\n\n",
            s.clients(),
            SpilloverBenchmark.human(s.duration()),
            s.limitTokensPerMinute()));
    md.append("## Setup\n\n").append(setup(run));
    md.append("## Results\n\n");
    md.append(windowTable(run)).append('\n');
    md.append(summaryTable(run)).append('\n');
    md.append(findings(run));
    md.append(overshoot());
    md.append(howToRead(run));
    return md.toString();
  }

  private static String setup(LimitAccuracyRun run) {
    LimitBenchSettings s = run.settings();
    String alignment =
        s.alignToMinute()
            ? f(
                "The limit counts fixed UTC minutes, so the run waited %.1f s for the next whole minute and each"
                    + " configuration sends from a minute boundary for %s; the second starts at the minute after the"
                    + " first stops sending, while the first's last answers are still arriving.",
                run.waitedForMinuteMillis() / 1e3,
                SpilloverBenchmark.human(s.duration()))
            : "Sending was not aligned to UTC minutes (`--align none`), so windows at the edges are partial and"
                + " no window may be complete.";
    return f(
        "One consumer with `tokensPerMinute: %,d` (L) and `per: [consumer]`, called with one gateway key."
            + " **One replica:** one gateway with `limits.store: memory`. **Three replicas:** three gateways,"
            + " each on its own Vert.x instance, with `limits.store: redis` (`%s`, `onRedisFailure: failOpen`)"
            + " and one shared key file; each run uses a new consumer id, so its Redis counters are new keys"
            + " (they expire by themselves; nothing is flushed). Behind the gateways, a simulated PAYG"
            + " deployment with ample quota (%s), so only the consumer's limit refuses. %d closed-loop"
            + " clients (virtual threads, JDK HttpClient, HTTP/1.1) are spread over the replicas round-robin;"
            + " each sends a non-streamed chat completion, waits for the whole answer, and sends the next;"
            + " after a refusal it pauses %s ± 50 %% (ignoring `Retry-After` on purpose, to keep the limit"
            + " under constant pressure). Requests are drawn from %d prepared ones: prompts of %d–%d tokens"
            + " (mean %.0f), `max_tokens` %d–%d, and %d of them (%.0f %%) without `max_tokens`, for which the"
            + " gateway reserves `limits.defaultMaxTokens` (1024) while the simulator writes 20–120 tokens;"
            + " when `max_tokens` is set the simulator writes exactly that many and counts the prompt as the"
            + " gateway's tokenizer does, so those answers use exactly their reservation. Mean reservation %.0f tokens. Seed %d. %s\n\n",
        s.limitTokensPerMinute(),
        s.redisUrl(),
        s.zeroLatency() ? "zero-latency" : "realistic: 150 ms + 0.2 ms per prompt token to the first token, then 80 tokens/s",
        s.clients(),
        SpilloverBenchmark.human(s.pauseOn429()),
        run.requestSetSize(),
        ChatRequestPool.MIN_PROMPT,
        ChatRequestPool.MAX_PROMPT,
        run.promptTokensMean(),
        ChatRequestPool.MIN_MAX_TOKENS,
        ChatRequestPool.MAX_MAX_TOKENS,
        run.withoutMaxTokens(),
        100.0 * run.withoutMaxTokens() / Math.max(1, run.requestSetSize()),
        run.reservedTokensMean(),
        s.seed(),
        alignment);
  }

  /** The per-window table, also printed on the console. */
  public static String windowTable(LimitAccuracyRun run) {
    long limit = run.settings().limitTokensPerMinute();
    StringBuilder t = new StringBuilder();
    t.append(
        "| configuration | window (UTC) | complete | 200 | 429 | other | admitted tokens (usage) | ÷ L |"
            + " reserved at admission | ÷ L | peak counter | target | met |\n");
    t.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (LimitTopologyResult r : run.results()) {
      for (LimitWindow w : r.windows()) {
        t.append(
            f(
                "| %s | %s | %s | %,d | %,d | %s | %,d | %.4f | %,d | %.4f | %s | ≤ %.2f | %s |\n",
                r.topology().label(),
                minute(w.start()),
                w.complete() ? "yes" : "partial",
                w.ok(),
                w.refused(),
                Long.toString(w.other()),
                w.realTokens(),
                w.ratio(limit),
                w.reservedTokens(),
                w.reservedRatio(limit),
                w.peakCounter() < 0 ? "n/a" : f("%,d", w.peakCounter()),
                r.topology().targetRatio(),
                !w.complete() ? "(partial)" : w.ratio(limit) <= r.topology().targetRatio() ? "yes" : "**no**"));
      }
    }
    return t.toString();
  }

  private static String summaryTable(LimitAccuracyRun run) {
    long limit = run.settings().limitTokensPerMinute();
    StringBuilder t = new StringBuilder();
    t.append("Per configuration, over the whole run:\n\n");
    t.append(
        "| configuration | worst complete window ÷ L | target met | 200s by replica | tokens of all 200s |"
            + " simulator served | Redis fallbacks by replica | 200 p50 / p99 | 429 p50 / p99 | one request alone:"
            + " reserved / counted |\n");
    t.append("|---|---:|---|---|---:|---:|---|---:|---:|---:|\n");
    for (LimitTopologyResult r : run.results()) {
      double worst = r.worstRatio(limit);
      t.append(
          f(
              "| %s | %s | %s | %s | %,d | %,d | %s | %.0f / %.0f ms | %.1f / %.1f ms | %d / %d |\n",
              r.topology().label(),
              Double.isNaN(worst) ? "n/a" : f("%.4f", worst),
              r.verdict(limit).equals("no") ? "**no**" : r.verdict(limit),
              r.okPerReplica().stream().map(String::valueOf).collect(Collectors.joining(" / ")),
              r.realTokens(),
              r.simulatorTokens(),
              r.fallbacksPerReplica().isEmpty()
                  ? "—"
                  : r.fallbacksPerReplica().stream().map(String::valueOf).collect(Collectors.joining(" / ")),
              r.okLatency().p50Millis(),
              r.okLatency().p99Millis(),
              r.refusedLatency().p50Millis(),
              r.refusedLatency().p99Millis(),
              r.calibrationReserved(),
              r.calibrationCounted()));
    }
    return t.toString();
  }

  /** What this run's numbers say, in sentences. */
  private static String findings(LimitAccuracyRun run) {
    long limit = run.settings().limitTokensPerMinute();
    StringBuilder out = new StringBuilder("\n**In this run.** ");
    for (LimitTopologyResult r : run.results()) {
      List<LimitWindow> complete = r.completeWindows();
      if (complete.isEmpty()) {
        out.append(f("%s: no complete minute window, so no verdict. ", r.topology().label()));
        continue;
      }
      LimitWindow w = complete.stream().max((a, b) -> Double.compare(a.ratio(limit), b.ratio(limit))).orElseThrow();
      out.append(
          f(
              "%s: admitted %,d tokens in the window of %s = %.4f × L (target ≤ %.2f: %s), while the"
                  + " reservations of those same requests added up to %.4f × L. ",
              r.topology().label(),
              w.realTokens(),
              minute(w.start()),
              w.ratio(limit),
              r.topology().targetRatio(),
              w.ratio(limit) <= r.topology().targetRatio() ? "met" : "missed",
              w.reservedRatio(limit)));
      out.append(
          r.aboveReservation() == 0
              ? "No answer used more than its reservation, so nothing could push the counter past L. "
              : f("%d answers used more than their reservation, %,d tokens in all: those can push the counter past L. ",
                  r.aboveReservation(), r.excessTokens()));
      long fallbacks = r.fallbacksPerReplica().stream().mapToLong(Long::longValue).filter(n -> n > 0).sum();
      if (r.topology().usesRedis()) {
        out.append(
            fallbacks == 0
                ? "No replica fell back to local counting. "
                : f("The replicas fell back to local counting %d times (Redis did not answer in time). ", fallbacks));
      }
      if (r.other() > 0) {
        out.append(f("%d requests failed otherwise: %s. ", r.other(), r.otherByKind()));
      }
    }
    return out.append("\n\n").toString();
  }

  private static String overshoot() {
    return """
        ## Where overshoot can come from

        The limit counts **reservations**, not answers. At admission a request reserves its prompt (counted \
        with the model's tokenizer) plus its `max_tokens` (or `limits.defaultMaxTokens`, 1024); the \
        reservation is admitted only if the minute's counter plus it stays within L, checked and counted \
        in one step (a compare-and-set in memory, one Lua script in Redis). So at every admission the \
        counter is ≤ L. When the answer ends, the reservation is replaced by the real usage (`settle`).

        - **Reservations over-estimate** (a `max_tokens` the model does not use, the 1024 default): \
        settlement refunds the difference and later requests use it, so the *real* admitted tokens \
        approach L from below and the *reserved* sum of the admitted requests can exceed L (the refunded \
        room was reserved twice). A refund that arrives after its window has ended is lost, so real \
        admitted tokens are usually **below** L.
        - **Real usage above the reservation** is the only way past L without a fault: a tokenizer that \
        counts the prompt lower than the backend (tools, images, unusual message shapes), a backend that \
        writes more than `max_tokens`, or a stream without usage whose estimate is low. Settlement then \
        pushes the counter above L (allowed, so the window's remaining requests are refused); the \
        overshoot is at most the sum of those differences over the requests in flight.
        - **Redis unreachable with `failOpen`**: each replica counts alone in memory meanwhile, so N \
        replicas can admit up to N × L. The table's *Redis fallbacks* column says whether that happened.
        - **Window edges**: a request belongs to the window of its admission (Redis `TIME` for the shared \
        store, the gateway's clock for memory); one reserved just before a boundary settles into the old \
        window, and the new window starts from zero — a client can still get up to 2 × L in any sliding \
        60 s spanning a boundary, by design of fixed windows.

        """;
  }

  private static String howToRead(LimitAccuracyRun run) {
    return f(
        """
        ## How to read it

        - *Admitted tokens (usage)* = the sum of `usage.total_tokens` of the 200 answers to requests \
        admitted in that window; *÷ L* is the ratio the target is about.
        - *Reserved at admission* = what the gateway reserved for those same requests: their prompt by \
        the gateway's own tokenizer (`TokenEstimator`, the same code) plus `max_tokens` or 1024. The last \
        column of the second table checks it: one request sent alone before the run, reserved as computed \
        here and as counted by the gateway (`x-ratelimit-limit-tokens` − `x-ratelimit-remaining-tokens`).
        - *Peak counter* = the highest counter the gateway reported right after a reservation (L − the \
        lowest `x-ratelimit-remaining-tokens` of the window's 200s): ≤ L by construction.
        - *Complete* = the clients sent throughout the window; only complete windows are judged. A partial \
        window after the last complete one holds requests sent in the last %d ms before the boundary but \
        admitted just after it (their counter was fresh); 429s are placed by the window their message \
        names.
        - *Simulator served* counts the same tokens independently (calibration request excluded); it \
        differs from *tokens of all 200s* only if an answer was lost on the way.
        - *Redis fallbacks* = `limitStoreFallbacks` of each replica's `/readyz` after the run.
        """,
        LimitWindow.EDGE_MILLIS);
  }

  public static JsonObject json(LimitAccuracyRun run) {
    LimitBenchSettings s = run.settings();
    long limit = s.limitTokensPerMinute();
    JsonObject settings =
        new JsonObject()
            .put("limitTokensPerMinute", limit)
            .put("durationSeconds", s.duration().toMillis() / 1e3)
            .put("clients", s.clients())
            .put("seed", s.seed())
            .put("alignToMinute", s.alignToMinute())
            .put("zeroLatency", s.zeroLatency())
            .put("pauseOn429Millis", s.pauseOn429().toMillis())
            .put("noMaxTokensShare", s.noMaxTokensShare())
            .put("redisUrl", s.redisUrl())
            .put("requestSetSize", run.requestSetSize())
            .put("withoutMaxTokens", run.withoutMaxTokens())
            .put("promptTokensMean", run.promptTokensMean())
            .put("reservedTokensMean", run.reservedTokensMean())
            .put("waitedForMinuteMillis", run.waitedForMinuteMillis());
    JsonObject environment =
        ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd());
    JsonArray configurations = new JsonArray();
    for (LimitTopologyResult r : run.results()) {
      JsonArray windows = new JsonArray();
      for (LimitWindow w : r.windows()) {
        windows.add(
            new JsonObject()
                .put("start", w.start().toString())
                .put("complete", w.complete())
                .put("ok", w.ok())
                .put("refused", w.refused())
                .put("other", w.other())
                .put("admittedTokens", w.realTokens())
                .put("ratio", w.ratio(limit))
                .put("reservedTokens", w.reservedTokens())
                .put("reservedRatio", w.reservedRatio(limit))
                .put("peakCounter", w.peakCounter())
                .put("okWithoutUsage", w.okWithoutUsage())
                .put("consumedHeaderMismatch", w.consumedMismatch())
                .put("movedIn", w.movedIn()));
      }
      double worst = r.worstRatio(limit);
      configurations.add(
          new JsonObject()
              .put("id", r.topology().id())
              .put("label", r.topology().label())
              .put("replicas", r.topology().replicas())
              .put("consumerId", r.consumerId())
              .put("sendStart", Instant.ofEpochMilli(r.sendStartMillis()).toString())
              .put("sendEnd", Instant.ofEpochMilli(r.sendEndMillis()).toString())
              .put("targetRatio", r.topology().targetRatio())
              .put("worstCompleteRatio", Double.isNaN(worst) ? null : worst)
              .put("targetMet", r.verdict(limit))
              .put("ok", r.ok())
              .put("refused", r.refused())
              .put("other", r.other())
              .put("otherByKind", new JsonObject(new LinkedHashMap<>(r.otherByKind())))
              .put("admittedTokensAllWindows", r.realTokens())
              .put("simulatorTokens", r.simulatorTokens())
              .put("answersAboveReservation", r.aboveReservation())
              .put("tokensAboveReservation", r.excessTokens())
              .put("okPerReplica", new JsonArray(r.okPerReplica()))
              .put("redisFallbacksPerReplica", new JsonArray(r.fallbacksPerReplica()))
              .put(
                  "latencyMillis",
                  new JsonObject()
                      .put("okP50", r.okLatency().p50Millis())
                      .put("okP99", r.okLatency().p99Millis())
                      .put("refusedP50", r.refusedLatency().p50Millis())
                      .put("refusedP99", r.refusedLatency().p99Millis()))
              .put(
                  "calibration",
                  new JsonObject().put("reserved", r.calibrationReserved()).put("counted", r.calibrationCounted()))
              .put("windows", windows));
    }
    return new JsonObject()
        .put("targets", new JsonObject().put("oneReplica", LimitTopology.ONE_REPLICA.targetRatio())
            .put("threeReplicas", LimitTopology.THREE_REPLICAS.targetRatio()))
        .put("environment", environment)
        .put("settings", settings)
        .put("configurations", configurations);
  }

  private static String minute(Instant i) {
    return i.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
