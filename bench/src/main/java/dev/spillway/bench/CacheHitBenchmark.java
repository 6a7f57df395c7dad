package dev.spillway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * What an exact cache hit costs, against a proxied request, through the shipped gateway ({@code spillway serve}, its
 * own process, key auth and the SQLite ledger on) in front of a zero-latency simulator (its own process):
 *
 * <ul>
 *   <li><b>CPU per request</b>: the gateway process's CPU time over {@code --requests} requests of one kind, sent by
 *       {@code --connections} closed-loop clients: exact hits (one cached question), proxied requests (the same
 *       question at temperature 1, which the cache lets through untouched: {@code BYPASS}) and misses (a new question
 *       each time at temperature 0: looked up, proxied, stored). The kinds run in turns, {@code --rounds} times, so a
 *       drift of the machine's speed hits all alike; each kind's median of its rounds is reported.
 *   <li><b>Round trip of a hit at low load</b>: one client thread with blocking reads (no event-loop hops), one
 *       request at a time, paced at {@code --low-rate} per second for {@code --low-seconds}: p50, p99 and max, as the client measures them on loopback.
 * </ul>
 *
 * Writes {@code cache-hit.md} and {@code cache-hit.json}. The verdicts: a hit's p99 at low load at most 1 ms, and a
 * hit's CPU per request below a proxied one's.
 */
public final class CacheHitBenchmark {
  private CacheHitBenchmark() {}

  /** The settings: see the class comment. */
  record Settings(int requests, int connections, int rounds, double lowRate, int lowSeconds, Path out) {
    static Settings parse(String... args) {
      int requests = 20_000;
      int connections = 8;
      int rounds = 3;
      double lowRate = 100;
      int lowSeconds = 30;
      Path out = Path.of("bench/results");
      for (CliFlags flags = new CliFlags(args, "--"); flags.next(); ) {
        String value = flags.value();
        try {
          switch (flags.flag()) {
            case "--requests" -> requests = Integer.parseInt(value);
            case "--connections" -> connections = Integer.parseInt(value);
            case "--rounds" -> rounds = Integer.parseInt(value);
            case "--low-rate" -> lowRate = Double.parseDouble(value);
            case "--low-seconds" -> lowSeconds = Integer.parseInt(value);
            case "--out" -> out = Path.of(value);
            default -> throw flags.unknown();
          }
        } catch (IllegalArgumentException e) {
          throw flags.wrap(e);
        }
      }
      return new Settings(requests, connections, rounds, lowRate, lowSeconds, out);
    }
  }

  /** One kind's figures: CPU microseconds per request in each round, and what the cache said. */
  record Kind(String name, List<Double> cpuMicros, Map<String, Integer> cacheHeaders) {
    double median() {
      List<Double> sorted = new ArrayList<>(cpuMicros);
      Collections.sort(sorted);
      return sorted.get(sorted.size() / 2);
    }
  }

  /**
   * @param lowLoad exact hits through the gateway, one at a time
   * @param directLowLoad the simulator reached directly by the same client, between the hits: the floor of the client,
   *     the loopback and an HTTP server's answer
   */
  record Result(Instant startedAt, Settings settings, Kind hit, Kind proxied, Kind miss, LatencySummary lowLoad,
      LatencySummary directLowLoad, Slow slowHits, Slow slowDirect, double loadAtStart, double loadAtEnd) {}

  /**
   * The round trips over 1 ms in one low-load series, and the median time between the starts of two consecutive ones:
   * a steady spacing says the slow ones follow a clock of the machine's, not the requests.
   */
  record Slow(int count, double medianSpacingMillis) {
    static Slow of(List<Long> slowStarts) {
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < slowStarts.size(); i++) {
        gaps.add(slowStarts.get(i) - slowStarts.get(i - 1));
      }
      Collections.sort(gaps);
      return new Slow(slowStarts.size(), gaps.isEmpty() ? 0 : gaps.get(gaps.size() / 2) / 1e6);
    }
  }

  /** Both low-load series. */
  private record LowLoad(LatencySummary hits, LatencySummary direct, Slow slowHits, Slow slowDirect) {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Path work = Files.createTempDirectory("spillway-cache-bench");
    Result r = run(settings, work, System.out);
    Path md = CacheHitReport.write(r);
    System.out.println("wrote " + md);
    System.exit(0);
  }

  static Result run(Settings settings, Path work, PrintStream log) throws Exception {
    Instant started = Instant.now();
    double loadStart = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    SpillwayProcesses spillway = new SpillwayProcesses(Optional.empty(), Optional.empty(), work);
    Vertx vertx = Vertx.vertx();
    try (SpillwayProcesses.Started sim = spillway.simulator("cache-upstream", true, 80, Optional.empty())) {
      SpillwayProcesses.GatewaySetup setup = spillway.gatewaySetup("cache-gateway", port -> """
          server:
            listen: 127.0.0.1:%d
          models:
            %s:
              backends:
                - { id: sim, type: azure, url: %s, deployment: %s, auth: { apiKey: bench-backend-key }, tier: payg }
          consumers:
            - { id: %s, team: bench, models: [%s] }
          cache: { ttl: 1h, maxEntries: 1000000, maxBytes: 1GiB }
          auth:
            required: true
            keyStore: keys.json
            keyPepper: %s
          ledger:
            sqlite: usage.db
          """.formatted(port, SpillwayProcesses.MODEL, sim.baseUrl(), SpillwayProcesses.MODEL, SpillwayProcesses.CONSUMER,
          SpillwayProcesses.MODEL, SpillwayProcesses.KEY_PEPPER), SpillwayProcesses.CONSUMER);
      try (SpillwayProcesses.Started gateway = spillway.gateway(setup, Optional.empty())) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(settings.connections()));
        String url = gateway.baseUrl() + "/v1/chat/completions";
        Map<String, String> auth = Map.of("authorization", "Bearer " + setup.key());
        AtomicInteger unique = new AtomicInteger();
        IntFunction<Buffer> hitBody = i -> body("Name three rivers in Europe.", 0);
        IntFunction<Buffer> proxiedBody = i -> body("Name three rivers in Europe.", 1);
        IntFunction<Buffer> missBody = i -> body("Name three rivers in Europe, round " + unique.incrementAndGet() + ".", 0);
        log.println("warming up: " + settings.requests() + " requests of each kind");
        for (IntFunction<Buffer> kind : List.of(hitBody, proxiedBody, missBody)) {
          closedLoop(client, url, auth, kind, settings.requests(), settings.connections(), new java.util.TreeMap<>());
        }
        Kind hit = new Kind("exact hit", new ArrayList<>(), new java.util.TreeMap<>());
        Kind proxied = new Kind("proxied (temperature 1: BYPASS)", new ArrayList<>(), new java.util.TreeMap<>());
        Kind miss = new Kind("miss (new question: looked up, proxied, stored)", new ArrayList<>(), new java.util.TreeMap<>());
        long pid = gateway.process().pid();
        for (int round = 1; round <= settings.rounds(); round++) {
          for (Kind k : List.of(hit, proxied, miss)) {
            IntFunction<Buffer> bodies = k == hit ? hitBody : k == proxied ? proxiedBody : missBody;
            double before = ProcStats.cpuSeconds(pid);
            closedLoop(client, url, auth, bodies, settings.requests(), settings.connections(), k.cacheHeaders());
            double micros = (ProcStats.cpuSeconds(pid) - before) * 1e6 / settings.requests();
            k.cpuMicros().add(micros);
            log.printf(java.util.Locale.ROOT, "round %d  %-50s %8.1f µs CPU per request%n", round, k.name(), micros);
          }
        }
        String direct = sim.baseUrl() + "/openai/deployments/" + SpillwayProcesses.MODEL
            + "/chat/completions?api-version=2024-10-21";
        LowLoad low = lowLoad(url, auth, hitBody.apply(0), direct, Map.of("api-key", "bench-backend-key"),
            settings.lowRate(), settings.lowSeconds());
        log.printf(java.util.Locale.ROOT, "hits at %.0f/s, one at a time: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
            settings.lowRate(), low.hits().p50Millis(), low.hits().p99Millis(), low.hits().maxMillis());
        log.printf(java.util.Locale.ROOT, "the simulator directly, between them: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
            low.direct().p50Millis(), low.direct().p99Millis(), low.direct().maxMillis());
        client.close();
        return new Result(started, settings, hit, proxied, miss, low.hits(), low.direct(), low.slowHits(),
            low.slowDirect(), loadStart, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    } finally {
      vertx.close().await();
    }
  }

  static Buffer body(String question, double temperature) {
    return new JsonObject()
        .put("model", SpillwayProcesses.MODEL)
        .put("temperature", temperature)
        .put("max_tokens", 16)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "You are a concise assistant."))
            .add(new JsonObject().put("role", "user").put("content", question)))
        .toBuffer();
  }

  /** {@code total} requests over {@code connections} closed loops; counts each answer's x-spillway-cache. */
  private static void closedLoop(HttpClient client, String url, Map<String, String> headers, IntFunction<Buffer> bodies,
      int total, int connections, Map<String, Integer> cacheHeaders) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      loops.add(loop(client, url, headers, bodies, total, next, cacheHeaders));
    }
    Future.all(loops).await();
  }

  private static Future<Void> loop(HttpClient client, String url, Map<String, String> headers, IntFunction<Buffer> bodies,
      int total, AtomicInteger next, Map<String, Integer> cacheHeaders) {
    int i = next.getAndIncrement();
    if (i >= total) {
      return Future.succeededFuture();
    }
    return JsonPost.post(client, url, headers, bodies.apply(i)).compose(a -> {
      if (a.status() != 200) {
        return Future.failedFuture("status " + a.status() + ": " + a.body());
      }
      String cache = String.valueOf(a.response().getHeader("x-spillway-cache"));
      synchronized (cacheHeaders) {
        cacheHeaders.merge(cache, 1, Integer::sum);
      }
      return loop(client, url, headers, bodies, total, next, cacheHeaders);
    });
  }

  /**
   * One client thread, one request at a time, one every {@code 1/rate} s, alternating a hit through the gateway and the
   * same question to the simulator directly: the round trip of each, from the write of the request to the read of its
   * last byte, over two kept-alive connections read with blocking calls ({@link BlockingHttpConnection}), so that no
   * client thread hop is in the figure. The first second's requests warm the path and are not counted.
   */
  private static LowLoad lowLoad(String url, Map<String, String> headers, Buffer body, String directUrl,
      Map<String, String> directHeaders, double rate, int seconds) throws Exception {
    URI gatewayUri = URI.create(url);
    URI directUri = URI.create(directUrl);
    List<Long> hits = new ArrayList<>();
    List<Long> direct = new ArrayList<>();
    List<Long> slowHits = new ArrayList<>();
    List<Long> slowDirect = new ArrayList<>();
    try (BlockingHttpConnection one = new BlockingHttpConnection(gatewayUri);
        BlockingHttpConnection other = new BlockingHttpConnection(directUri)) {
      byte[] viaGatewayRequest = one.jsonPost(gatewayUri.getRawPath(), headers, body.getBytes());
      byte[] directRequest = other.jsonPost(directUri.getRawPath() + "?" + directUri.getRawQuery(), directHeaders,
          body.getBytes());
      long pause = (long) (1e9 / rate);
      long warmUntil = System.nanoTime() + 1_000_000_000L;
      long end = warmUntil + seconds * 1_000_000_000L;
      for (int i = 0; System.nanoTime() < end; i++) {
        boolean viaGateway = i % 2 == 0;
        long start = System.nanoTime();
        BlockingHttpConnection.Answer a = viaGateway ? one.exchange(viaGatewayRequest) : other.exchange(directRequest);
        long took = System.nanoTime() - start;
        if (a.status() != 200 || viaGateway && !"HIT".equals(a.header("x-spillway-cache"))) {
          throw new IllegalStateException("a low-load request failed or was not an exact hit: " + a.status());
        }
        if (start > warmUntil) {
          (viaGateway ? hits : direct).add(took);
          if (took > 1_000_000) {
            (viaGateway ? slowHits : slowDirect).add(start);
          }
        }
        long sleep = pause - took;
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
    }
    return new LowLoad(LatencySummary.of(hits), LatencySummary.of(direct), Slow.of(slowHits), Slow.of(slowDirect));
  }
}
