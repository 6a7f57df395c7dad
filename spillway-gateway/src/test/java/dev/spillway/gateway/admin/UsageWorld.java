package dev.spillway.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulator (a tiny PTU deployment that soon spills, and a PAYG one) and a gateway started from a YAML file with
 * an SQLite ledger, two consumers of two teams holding gateway keys, an admin key and a cost model. {@link
 * #recordTraffic()} sends a known mix of requests and stops the gateway, so every row is in the ledger file; {@link
 * #serve()} then starts a gateway over that ledger to be asked for reports. Shared by the admin and CLI tests.
 */
public final class UsageWorld implements AutoCloseable {
  public static final String ADMIN_KEY = "usage-admin-key-0123456789";
  private static final String BACKEND_KEY = "backend-secret-key-123";
  /** The config's {@code ledger.endUserHeader}. */
  public static final String END_USER_HEADER = "x-end-user";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Vertx vertx = Vertx.vertx();
  private final Simulator simulator;
  private final Path config;
  private final Path ledger;
  private GatewayServer gateway;

  /** A world in {@code dir} whose config has a ledger, or turns it off ({@code ledger: off}) when {@code withLedger} is false. */
  public UsageWorld(Path dir, boolean withLedger) throws IOException {
    this(dir, withLedger, true, "127.0.0.1:0");
  }

  /**
   * @param adminKey whether {@code admin.apiKey} is set; without it admin answers loopback callers only
   * @param listen {@code server.listen}
   */
  public UsageWorld(Path dir, boolean withLedger, boolean adminKey, String listen) throws IOException {
    simulator = Simulator.start(vertx, SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(BACKEND_KEY)
        .deployments(java.util.List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("payg", 10_000_000, 100_000).withPromptCache(true)))
        .build()).await();
    config = dir.resolve("spillway.yaml");
    ledger = dir.resolve("data").resolve("usage.db");
    Files.writeString(config, """
        server:
          listen: %4$s
        models:
          gpt-4o:
            backends:
              - { id: ptu-1, type: azure, url: "%1$s", deployment: ptu, apiVersion: 2024-10-21, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: payg-1, type: azure, url: "%1$s", deployment: payg, apiVersion: 2024-10-21, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
        consumers:
          - { id: search-app, team: retail, models: [gpt-4o] }
          - { id: billing, team: finance, models: [gpt-4o] }
        auth:
          keyPepper: usage-test-pepper-0123456789
          keyStore: data/keys.json
        costs:
          currency: EUR
          ptu: { ptu-1: 18000 }
          payg:
            gpt-4o: { input: 0.0025, output: 0.01, cachedInput: 0.00125 }
        """.formatted(simulator.baseUrl(), BACKEND_KEY, ADMIN_KEY, listen)
        + (adminKey ? "admin:\n  apiKey: " + ADMIN_KEY + "\n" : "")
        + (withLedger ? "ledger:\n  sqlite: data/usage.db\n  spillDirectory: data/spill\n  endUserHeader: "
            + END_USER_HEADER + "\n" : "ledger: off\n"));
  }

  public Path config() {
    return config;
  }

  public Path ledger() {
    return ledger;
  }

  /** Starts a gateway from the config file. */
  public UsageWorld serve() {
    gateway = GatewayServer.start(vertx, ConfigLoader.load(config), GatewayOptions.defaults()).await();
    return this;
  }

  public String url(String path) {
    return gateway.baseUrl() + path;
  }

  /** The gateway's port, for a caller that reaches it by another address. */
  public int port() {
    return gateway.port();
  }

  /**
   * retail (search-app) and finance (billing) each send chats, plain and streamed, the first served by the tiny PTU
   * and the rest spilling to PAYG; one asks for a model it may not use (403). Then the gateway stops, flushing the ledger.
   *
   * <p>End users: retail names {@code shopper-1} (twice) and {@code shopper-2} (streamed) in the body's {@code user};
   * finance names {@code clerk-7} in the {@link #END_USER_HEADER} header of its streamed chat (whose body's {@code
   * user}, {@code body-user}, the header overrides) and in the body of its refused one, and none in its other chat.
   */
  public UsageWorld recordTraffic() throws Exception {
    String retail = createKey("search-app");
    String finance = createKey("billing");
    serve();
    for (int i = 0; i < 3; i++) {
      assertThat(chat(retail, "gpt-4o", i == 1, i == 1 ? "shopper-2" : "shopper-1", null).statusCode())
          .isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(chat(finance, "gpt-4o", i == 0, i == 0 ? "body-user" : null, i == 0 ? "clerk-7" : null)
          .statusCode()).isEqualTo(200);
    }
    // not one of billing's models
    assertThat(chat(finance, "gpt-9", false, "clerk-7", null).statusCode()).isEqualTo(403);
    gateway.close().await();
    gateway = null;
    return this;
  }

  /**
   * Long prompts for the prompt-cache report: search-app sends 11 that begin with the same document and end with
   * different questions, billing 11 with the same document behind a line naming the request and its time (its prompts
   * vary early). Then the gateway stops, flushing the ledger.
   */
  public UsageWorld recordPromptCacheTraffic() throws Exception {
    String retail = createKey("search-app");
    String finance = createKey("billing");
    serve();
    StringBuilder document = new StringBuilder();
    for (int i = 1; i <= 60; i++) {
      document.append("Section ").append(i).append(": requests go to provisioned throughput first and spill to")
          .append(" pay-as-you-go. ");
    }
    for (int i = 1; i <= 11; i++) {
      assertThat(post(retail, longChat(document.toString(), "Question " + i)).statusCode()).isEqualTo(200);
      assertThat(post(finance, longChat("Request " + i + " at 08:00:" + (10 + i) + ". " + document, "Question " + i))
          .statusCode()).isEqualTo(200);
    }
    gateway.close().await();
    gateway = null;
    return this;
  }

  /** An end user id that a spreadsheet would run as a formula. */
  public static final String FORMULA_USER = "=cmd|' /C calc'!A0";

  /**
   * Rows with the content guard's verdicts for the safety report, written through the SQLite ledger's own sink (no
   * guard stage runs in this gateway). On 2020-03-02 (UTC): at 10 o'clock search-app's shopper-1 sends 12 requests,
   * 6 blocked as prompt_injection at severity 6 and 2 masked as pii.credit_card at 2; at 11 billing's clerk-7 sends
   * 10, one logged as pii.email (no severity: 0), and billing's {@link #FORMULA_USER} 10, 5 blocked as blocklist at 4;
   * at 12 search-app sends 3 naming no end user, one masked as pii.email (0), and shopper-2 2, both blocked as hate at
   * 4 (too few to be ranked). On 2020-03-03 at 00:30 shopper-1 is blocked once more as prompt_injection at 6.
   */
  public UsageWorld recordSafetyRows() throws Exception {
    java.util.List<dev.spillway.core.ledger.UsageRecord> rows = new java.util.ArrayList<>();
    Instant day = Instant.parse("2020-03-02T00:00:00Z");
    for (int i = 0; i < 12; i++) {
      SafetyVerdict.Level level = i < 6 ? SafetyVerdict.Level.BLOCKED
          : i < 8 ? SafetyVerdict.Level.MASKED : SafetyVerdict.Level.NONE;
      rows.add(verdictRow("s1-" + i, day.plusSeconds(10 * 3_600 + i * 60), "search-app", "shopper-1", level,
          i < 6 ? "prompt_injection" : "pii.credit_card", i < 6 ? 6 : 2));
    }
    for (int i = 0; i < 10; i++) {
      rows.add(verdictRow("c7-" + i, day.plusSeconds(11 * 3_600 + i * 60), "billing", "clerk-7",
          i == 0 ? SafetyVerdict.Level.LOGGED : SafetyVerdict.Level.NONE, "pii.email", 0));
      rows.add(verdictRow("fx-" + i, day.plusSeconds(11 * 3_600 + i * 60 + 30), "billing", FORMULA_USER,
          i < 5 ? SafetyVerdict.Level.BLOCKED : SafetyVerdict.Level.NONE, "blocklist", i < 5 ? 4 : 0));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(verdictRow("anon-" + i, day.plusSeconds(12 * 3_600 + i * 60), "search-app", "",
          i == 0 ? SafetyVerdict.Level.MASKED : SafetyVerdict.Level.NONE, "pii.email", 0));
    }
    for (int i = 0; i < 2; i++) {
      rows.add(verdictRow("s2-" + i, day.plusSeconds(12 * 3_600 + 1_800 + i), "search-app", "shopper-2",
          SafetyVerdict.Level.BLOCKED, "hate", 4));
    }
    rows.add(verdictRow("s1-late", day.plusSeconds(24 * 3_600 + 1_800), "search-app", "shopper-1",
        SafetyVerdict.Level.BLOCKED, "prompt_injection", 6));
    try (var sink = dev.spillway.gateway.ledger.SqliteLedgerSink.open(ledger)) {
      sink.write(rows);
    }
    return this;
  }

  private static dev.spillway.core.ledger.UsageRecord verdictRow(String id, Instant time, String consumer,
      String endUser, SafetyVerdict.Level level, String category, int severity) {
    boolean blocked = level == SafetyVerdict.Level.BLOCKED;
    return dev.spillway.core.ledger.UsageRecord.builder(id, time).consumer(consumer)
        .team(consumer.equals("billing") ? "finance" : "retail").clientIp("127.0.0.1").route("chat/completions")
        .model("gpt-4o").backend(blocked ? "" : "payg-1").tier(blocked ? "" : "payg").status(blocked ? 400 : 200)
        .tokens(20, blocked ? 0 : 8, 0, 0).latencyMillis(40).attempts(blocked ? 0 : 1)
        .endUser(dev.spillway.core.ledger.EndUser.of(endUser))
        .safety(level == SafetyVerdict.Level.NONE ? SafetyVerdict.NONE : new SafetyVerdict(level, category, severity))
        .build();
  }

  /**
   * The ledger's own counts per bucket, straight from the SQLite file: {@code strftime} of the row's time in {@code
   * format} ({@code %Y-%m-%dT%H:00:00Z} for hours) to requests, logged, masked, blocked over {@code [from, to)}.
   */
  public Map<String, long[]> ledgerSafety(String format, Instant from, Instant to) throws Exception {
    Map<String, long[]> sums = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger);
        java.sql.PreparedStatement ps = c.prepareStatement("select strftime(?, time_ms / 1000, 'unixepoch'),"
            + " count(*), sum(safety_verdict = 'logged'), sum(safety_verdict = 'masked'),"
            + " sum(safety_verdict = 'blocked') from usage where time_ms >= ? and time_ms < ? group by 1 order by 1")) {
      ps.setString(1, format);
      ps.setLong(2, from.toEpochMilli());
      ps.setLong(3, to.toEpochMilli());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          sums.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)});
        }
      }
    }
    return sums;
  }

  /**
   * The ledger's own flagged rows per bucket and severity, straight from the SQLite file: {@code strftime} of the
   * row's time in {@code format} to its severities (in rising order) with their logged, masked and blocked rows.
   */
  public Map<String, Map<Integer, long[]>> ledgerSeverities(String format, Instant from, Instant to) throws Exception {
    Map<String, Map<Integer, long[]>> sums = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger);
        java.sql.PreparedStatement ps = c.prepareStatement("select strftime(?, time_ms / 1000, 'unixepoch'),"
            + " safety_severity, sum(safety_verdict = 'logged'), sum(safety_verdict = 'masked'),"
            + " sum(safety_verdict = 'blocked') from usage where time_ms >= ? and time_ms < ?"
            + " and safety_verdict in ('logged', 'masked', 'blocked') group by 1, 2 order by 1, 2")) {
      ps.setString(1, format);
      ps.setLong(2, from.toEpochMilli());
      ps.setLong(3, to.toEpochMilli());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          sums.computeIfAbsent(r.getString(1), k -> new java.util.TreeMap<>())
              .put(r.getInt(2), new long[] {r.getLong(3), r.getLong(4), r.getLong(5)});
        }
      }
    }
    return sums;
  }

  private static String longChat(String system, String question) {
    return "{\"model\":\"gpt-4o\",\"max_tokens\":8,\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private HttpResponse<String> post(String key, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/chat/completions")))
        .header("content-type", "application/json").header("api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A new gateway key for {@code consumer} in the config's key store, as {@code spillway keys create} makes it. */
  private String createKey(String consumer) {
    SpillwayConfig loaded = ConfigLoader.load(config);
    FileKeyStore store = new FileKeyStore(FileKeyStore.resolveAgainstConfig(config, loaded.auth().keyStore()),
        new KeyHasher(loaded.auth().keyPepper().orElseThrow()));
    return store.create(consumer, Instant.now().truncatedTo(ChronoUnit.SECONDS)).plaintext();
  }

  /** A chat naming {@code user} in its body and {@code headerUser} in the end-user header, each unless null. */
  private HttpResponse<String> chat(String key, String model, boolean stream, String user, String headerUser)
      throws Exception {
    String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
        + (user == null ? "" : ",\"user\":\"" + user + "\"")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you today?\"}]}";
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/v1/chat/completions")))
        .header("content-type", "application/json").header("api-key", key);
    if (headerUser != null) {
      request.header(END_USER_HEADER, headerUser);
    }
    return HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET} with the admin key, or without any key when {@code key} is null. */
  public HttpResponse<String> get(String path, String key) throws Exception {
    return getUrl(url(path), key);
  }

  /** {@code GET} of a whole URL, with {@code key} as {@code api-key} unless it is null. */
  public static HttpResponse<String> getUrl(String url, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (key != null) {
      b.header("api-key", key);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The ledger's own sums by {@code column}, straight from the SQLite file: requests, failed, prompt, completion and
   * cached tokens per value ({@code ""} for none), and under {@code "TOTAL"} over every row.
   */
  public Map<String, long[]> ledgerSums(String column) throws Exception {
    Map<String, long[]> sums = new LinkedHashMap<>();
    String sums5 = "count(*), sum(status >= 400), sum(prompt_tokens), sum(completion_tokens), sum(cached_tokens)";
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("select coalesce(" + column + ", ''), " + sums5 + " from usage group by 1")) {
        while (r.next()) {
          sums.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)});
        }
      }
      try (ResultSet r = s.executeQuery("select " + sums5 + " from usage")) {
        r.next();
        sums.put("TOTAL", new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)});
      }
    }
    return sums;
  }

  /** What the ledger's PAYG rows cost at the configured gpt-4o price, exactly. */
  public java.math.BigDecimal ledgerPaygCost() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select sum(prompt_tokens - cached_tokens), sum(cached_tokens), sum(completion_tokens)"
            + " from usage where tier = 'payg'")) {
      r.next();
      return new java.math.BigDecimal(r.getLong(1)).multiply(new java.math.BigDecimal("0.0025"))
          .add(new java.math.BigDecimal(r.getLong(2)).multiply(new java.math.BigDecimal("0.00125")))
          .add(new java.math.BigDecimal(r.getLong(3)).multiply(new java.math.BigDecimal("0.01")))
          .movePointLeft(3);
    }
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close().await();
    }
    simulator.close().await();
    vertx.close().await();
  }
}
