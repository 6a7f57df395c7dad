package dev.spillway.bench;

import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.config.LimitsConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Token-limit accuracy under contention: one consumer with {@code tokensPerMinute} L, and N
 * closed-loop clients sending chat requests of varied size through (a) one gateway counting in memory
 * and (b) three gateways sharing their counters in Redis, clients spread over the replicas
 * round-robin. For every fixed UTC minute window it reports the tokens of the requests admitted in
 * it (the {@code usage} of the 200 answers) against L, and writes {@code limits.md} and {@code
 * limits.json}.
 *
 * <p>Everything runs in this JVM: a simulator (one PAYG deployment with ample quota) per
 * configuration, the replicas (each on its own Vert.x instance) and the clients (virtual threads, JDK
 * HttpClient). Since the limit counts fixed UTC minutes, sending starts at a whole minute (the run
 * waits for it) and the configurations follow one another minute-aligned; the second one starts as
 * the first stops sending, while the first's last answers are still arriving.
 *
 * <p>{@code java -cp spillway-bench.jar dev.spillway.bench.LimitAccuracyBenchmark --help} lists the
 * flags.
 */
public final class LimitAccuracyBenchmark {
  static final String MODEL = "gpt-4o";
  private static final String DEPLOYMENT = "gpt-4o-payg";
  private static final String BACKEND_KEY = "bench-backend-key";
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private LimitAccuracyBenchmark() {}

  public static void main(String[] args) throws Exception {
    LimitBenchSettings settings;
    try {
      settings = LimitBenchSettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n") + LimitBenchSettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    LimitAccuracyRun run;
    try {
      run = run(settings, System.out);
    } catch (IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println();
    System.out.println(LimitReport.windowTable(run));
    Path md = LimitReport.write(run);
    System.out.println("report: " + md.toAbsolutePath().normalize());
    // Vert.x and HttpClient threads are closed; exit explicitly so a lingering daemon never holds us.
    System.exit(0);
  }

  /** True when something answers PING at {@code redisUrl} within a second. */
  public static boolean redisReachable(String redisUrl) {
    URI uri = URI.create(redisUrl);
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), 1_000);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs every configuration of {@code settings}; progress lines go to {@code log}. */
  public static LimitAccuracyRun run(LimitBenchSettings settings, PrintStream log) throws InterruptedException {
    if (settings.topologies().stream().anyMatch(LimitTopology::usesRedis) && !redisReachable(settings.redisUrl())) {
      throw new IllegalStateException(
          "no Redis answers PING at " + settings.redisUrl() + "; start redis-server or run --configs one-replica");
    }
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String runId = "bench-limits-" + RUN_ID.format(startedAt) + "-" + HexFormat.of().formatHex(randomBytes(3));
    long defaultMaxTokens = LimitsConfig.DEFAULTS.defaultMaxTokens();
    long poolStart = System.currentTimeMillis();
    ChatRequestPool pool = ChatRequestPool.build(MODEL, settings.seed(), settings.noMaxTokensShare(), defaultMaxTokens);
    log.printf(Locale.ROOT, "%d requests prepared in %d ms%n", pool.all().size(), System.currentTimeMillis() - poolStart);
    Path dir = createTempDir();
    List<Deployment> deployments = new ArrayList<>();
    List<ClosedLoopClients> clients = new ArrayList<>();
    try {
      for (LimitTopology topology : settings.topologies()) {
        long setupStart = System.currentTimeMillis();
        Deployment d = Deployment.start(settings, topology, runId + "-" + topology.id(), dir.resolve(topology.id()));
        deployments.add(d);
        d.calibrate(pool, settings.limitTokensPerMinute());
        log.printf(
            Locale.ROOT,
            "%s: %d gateway%s (%s) ready for consumer %s in %d ms; one request alone: reserved %d, gateway counted %d%n",
            topology.id(),
            topology.replicas(),
            topology.replicas() == 1 ? "" : "s",
            topology.usesRedis() ? "Redis store at " + settings.redisUrl() : "memory store",
            d.consumerId,
            System.currentTimeMillis() - setupStart,
            d.calibrationReserved,
            d.calibrationCounted);
      }
      long now = System.currentTimeMillis();
      long first = settings.alignToMinute() ? ceilMinute(now + 2_000) : now + 500;
      long waited = first - now;
      if (settings.alignToMinute()) {
        log.printf(
            Locale.ROOT,
            "waiting %.1f s for the next whole UTC minute (%s): the limit counts fixed UTC minutes, so each"
                + " configuration sends from a minute boundary%n",
            waited / 1e3,
            Instant.ofEpochMilli(first));
      }
      List<long[]> schedule = new ArrayList<>();
      long start = first;
      for (Deployment d : deployments) {
        long end = start + settings.duration().toMillis();
        schedule.add(new long[] {start, end});
        ClosedLoopClients c = new ClosedLoopClients();
        clients.add(c);
        c.start(
            d.chatUrls(), d.apiKey, pool, settings.clients(), settings.seed(), start, end, settings.pauseOn429());
        start = settings.alignToMinute() ? ceilMinute(end) : end;
      }
      for (int i = 0; i < deployments.size(); i++) {
        sleepUntil(schedule.get(i)[0]);
        log.printf(
            Locale.ROOT,
            "%s: %d clients sending from %s for %s (limit %,d tokens/min)%n",
            deployments.get(i).topology.id(),
            settings.clients(),
            Instant.ofEpochMilli(schedule.get(i)[0]),
            SpilloverBenchmark.human(settings.duration()),
            settings.limitTokensPerMinute());
      }
      List<LimitTopologyResult> results = new ArrayList<>();
      for (int i = 0; i < deployments.size(); i++) {
        Deployment d = deployments.get(i);
        List<ClosedLoopClients.Sample> samples = clients.get(i).awaitSamples();
        LimitTopologyResult r = d.result(settings, samples, schedule.get(i)[0], schedule.get(i)[1]);
        results.add(r);
        logResult(log, settings, r);
      }
      return new LimitAccuracyRun(
          settings,
          startedAt,
          settings.alignToMinute() ? waited : 0,
          pool.all().stream().mapToLong(ChatRequestPool.ChatRequest::promptTokens).average().orElse(0),
          pool.all().stream().mapToLong(ChatRequestPool.ChatRequest::reservedTokens).average().orElse(0),
          (int) pool.all().stream().filter(c -> c.maxTokens().isEmpty()).count(),
          pool.all().size(),
          results,
          loadAtStart,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      clients.forEach(ClosedLoopClients::close);
      deployments.forEach(Deployment::close);
      deleteRecursively(dir);
    }
  }

  private static void logResult(PrintStream log, LimitBenchSettings settings, LimitTopologyResult r) {
    long limit = settings.limitTokensPerMinute();
    log.printf(
        Locale.ROOT,
        "%s: %,d x 200, %,d x 429, %d other; tokens of all 200s %,d (simulator served %,d)%n",
        r.topology().id(),
        r.ok(),
        r.refused(),
        r.other(),
        r.realTokens(),
        r.simulatorTokens());
    for (LimitWindow w : r.windows()) {
      log.printf(
          Locale.ROOT,
          "%s:   window %s%s: admitted %,d tokens = %.4f x L (reserved %,d = %.4f x L), %d x 200, %d x 429%n",
          r.topology().id(),
          w.start(),
          w.complete() ? "" : " (partial)",
          w.realTokens(),
          w.ratio(limit),
          w.reservedTokens(),
          w.reservedRatio(limit),
          w.ok(),
          w.refused());
    }
  }

  /** One configuration's simulator and gateway replicas, with the consumer's key. */
  private static final class Deployment {
    final LimitTopology topology;
    final String consumerId;
    final Vertx simulatorVertx;
    final Simulator simulator;
    final List<Vertx> replicaVertx = new ArrayList<>();
    final List<GatewayServer> replicas = new ArrayList<>();
    String apiKey;
    long calibrationReserved = -1;
    long calibrationCounted = -1;
    long calibrationReal;

    private Deployment(LimitTopology topology, String consumerId, Vertx simulatorVertx, Simulator simulator) {
      this.topology = topology;
      this.consumerId = consumerId;
      this.simulatorVertx = simulatorVertx;
      this.simulator = simulator;
    }

    static Deployment start(LimitBenchSettings settings, LimitTopology topology, String consumerId, Path keyDir) {
      Vertx simVertx = Vertx.vertx();
      Simulator simulator;
      try {
        simulator = Simulator.start(simVertx, simulatorConfig(settings)).await();
      } catch (RuntimeException e) {
        simVertx.close().await();
        throw e;
      }
      Deployment d = new Deployment(topology, consumerId, simVertx, simulator);
      try {
        Files.createDirectories(keyDir);
        SpillwayConfig config =
            gatewayConfig(simulator.baseUrl(), settings, topology, consumerId, keyDir.resolve("keys.json"), pepper());
        for (int i = 0; i < topology.replicas(); i++) {
          Vertx vertx = Vertx.vertx();
          d.replicaVertx.add(vertx);
          d.replicas.add(GatewayServer.start(vertx, config, GatewayOptions.defaults()).await());
          if (i == 0) {
            // The key goes into the shared key file before the other replicas start and read it.
            d.apiKey = d.replicas.get(0).keys().orElseThrow().create(consumerId, Instant.now()).plaintext();
          }
        }
        d.checkEveryReplicaKnowsTheKey();
        return d;
      } catch (IOException e) {
        d.close();
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        d.close();
        throw e;
      }
    }

    List<String> chatUrls() {
      return replicas.stream().map(g -> g.baseUrl() + "/v1/chat/completions").toList();
    }

    /** {@code GET /v1/models} with the key on every replica: authenticates without touching the limit. */
    private void checkEveryReplicaKnowsTheKey() {
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        for (GatewayServer g : replicas) {
          int status = -1;
          for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
            status =
                http.send(
                        HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/models")).header("api-key", apiKey).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200) {
              Thread.sleep(100);
            }
          }
          if (status != 200) {
            throw new IllegalStateException("replica " + g.baseUrl() + " does not accept the consumer's key: " + status);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /**
     * One request alone on replica 0: what the gateway counts for it should be exactly the
     * reservation this benchmark computes (then the report's reserved column is the gateway's).
     */
    void calibrate(ChatRequestPool pool, long limit) {
      ChatRequestPool.ChatRequest chat =
          pool.all().stream().filter(c -> c.maxTokens().isPresent() && c.reservedTokens() < limit).findFirst().orElse(null);
      if (chat == null) {
        return;
      }
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(chatUrls().get(0)))
                    .header("content-type", "application/json")
                    .header("api-key", apiKey)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chat.body()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        calibrationReserved = chat.reservedTokens();
        calibrationCounted =
            r.headers().firstValue("x-ratelimit-remaining-tokens").map(v -> limit - Long.parseLong(v)).orElse(-1L);
        if (r.statusCode() == 200) {
          calibrationReal = new JsonObject(r.body()).getJsonObject("usage").getLong("total_tokens", 0L);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    LimitTopologyResult result(
        LimitBenchSettings settings, List<ClosedLoopClients.Sample> samples, long startMillis, long endMillis) {
      long limit = settings.limitTokensPerMinute();
      long ok = 0;
      long refused = 0;
      long other = 0;
      long real = 0;
      long above = 0;
      long excess = 0;
      Map<String, Long> otherByKind = new TreeMap<>();
      long[] okPerReplica = new long[replicas.size()];
      List<Long> okNanos = new ArrayList<>();
      List<Long> refusedNanos = new ArrayList<>();
      for (ClosedLoopClients.Sample s : samples) {
        long nanos = (s.receivedMillis() - s.sentMillis()) * 1_000_000L;
        switch (s.status()) {
          case 200 -> {
            ok++;
            okPerReplica[s.replica()]++;
            real += Math.max(0, s.realTokens());
            if (s.realTokens() > s.reservedTokens()) {
              above++;
              excess += s.realTokens() - s.reservedTokens();
            }
            okNanos.add(nanos);
          }
          case 429 -> {
            refused++;
            refusedNanos.add(nanos);
          }
          default -> {
            other++;
            otherByKind.merge(s.errorKind(), 1L, Long::sum);
          }
        }
      }
      List<Long> fallbacks = new ArrayList<>();
      if (topology.usesRedis()) {
        for (GatewayServer g : replicas) {
          fallbacks.add(fallbackCount(g));
        }
      }
      long simulatorTokens = simulator.stats().deployment(DEPLOYMENT).totalTokens();
      // The calibration request went through the simulator too.
      simulatorTokens -= calibrationReal;
      List<Long> perReplica = new ArrayList<>();
      for (long n : okPerReplica) {
        perReplica.add(n);
      }
      return new LimitTopologyResult(
          topology,
          consumerId,
          startMillis,
          endMillis,
          LimitWindow.of(samples, limit, startMillis, endMillis),
          ok,
          refused,
          other,
          otherByKind,
          real,
          simulatorTokens,
          perReplica,
          fallbacks,
          LatencySummary.of(okNanos),
          LatencySummary.of(refusedNanos),
          calibrationReserved,
          calibrationCounted,
          above,
          excess);
    }

    /** {@code limitStoreFallbacks} of the replica's {@code /readyz}; -1 when unreadable. */
    private static long fallbackCount(GatewayServer g) {
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        HttpResponse<String> r =
            http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/readyz")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Object n = new JsonObject(r.body()).getValue("limitStoreFallbacks");
        return n instanceof Number num ? num.longValue() : -1;
      } catch (IOException | RuntimeException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    void close() {
      for (GatewayServer g : replicas) {
        try {
          g.close().await();
        } catch (RuntimeException e) {
          // closing anyway
        }
      }
      replicaVertx.forEach(v -> v.close().await());
      try {
        simulator.close().await();
      } finally {
        simulatorVertx.close().await();
      }
    }
  }

  static SimulatorConfig simulatorConfig(LimitBenchSettings settings) {
    // PAYG with ample room: the consumer's limit, never the backend, must be what refuses.
    long tpm = Math.max(50_000_000L, 100 * settings.limitTokensPerMinute());
    return SimulatorConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .seed(settings.seed())
        .apiKey(BACKEND_KEY)
        .zeroLatency(settings.zeroLatency())
        .deployment(DeploymentConfig.payg(DEPLOYMENT, tpm, 10_000_000))
        .build();
  }

  static SpillwayConfig gatewayConfig(
      String simulatorUrl, LimitBenchSettings settings, LimitTopology topology, String consumerId, Path keyStore, String pepper) {
    BackendConfig payg =
        BackendConfig.builder()
            .id("payg")
            .type(BackendType.AZURE)
            .url(URI.create(simulatorUrl))
            .deployment(DEPLOYMENT)
            .auth(BackendAuth.apiKey(BACKEND_KEY))
            .tier(Tier.PAYG)
            .priority(1)
            .region("local")
            .build();
    ModelConfig model = ModelConfig.builder()
        .name(MODEL)
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(payg))
        .build();
    ConsumerConfig consumer =
        ConsumerConfig.builder().id(consumerId).team("bench").models(List.of("*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(Map.of(LimitKind.TOKENS_PER_MINUTE, settings.limitTokensPerMinute()), List.of("consumer"))).build();
    ServerConfig server = ServerConfig.builder().host("127.0.0.1").port(0).build();
    return SpillwayConfig.builder()
        .server(server)
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of(MODEL, model))
        .consumers(List.of(consumer))
        .auth(new AuthConfig(true, keyStore, Optional.of(pepper), List.of()))
        .admin(AdminConfig.LOOPBACK_ONLY)
        .limits(topology.limitsConfig(settings.redisUrl()))
        .build();
  }

  /** The first whole UTC minute at or after {@code epochMillis}. */
  static long ceilMinute(long epochMillis) {
    long floor = LimitWindow.floorMinute(epochMillis);
    return floor == epochMillis ? floor : floor + LimitWindow.MINUTE_MILLIS;
  }

  private static String pepper() {
    return HexFormat.of().formatHex(randomBytes(16));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("spillway-limits-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    while (true) {
      long left = epochMillis - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(left, 1_000));
    }
  }

  static String minute(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
