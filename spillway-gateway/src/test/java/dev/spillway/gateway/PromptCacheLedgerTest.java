package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache facts end to end, in SQLite and in PostgreSQL, through a gateway in front of a simulator deployment with a
 * prompt cache: a response-cache hit books the tokens it saved and the chargeback report prices them; long prompts
 * get a prefix hash and the prompt-cache report reads prefix stability, the cached share and the money saved from
 * the ledger, and flags the consumer whose prompts vary early.
 *
 * <p>The traffic: {@code steady} sends 11 long prompts that begin with the same document (the simulator caches its
 * first 1,024 tokens from the second one on) and ask different questions at the end; {@code shifty} sends 11 with
 * the same document behind a line that names the request and its time (nothing is ever cached); {@code steady} also
 * asks one short question twice at temperature 0 (the second answer comes from the response cache).
 */
class PromptCacheLedgerTest {
  private static final String DOCUMENT = documentOf(60);
  private static final String SHORT = "{\"model\":\"gpt-4o\",\"temperature\":0,\"max_tokens\":12,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"What is a PTU?\"}]}";
  private static final BigDecimal INPUT = new BigDecimal("0.0025");
  private static final BigDecimal CACHED_INPUT = new BigDecimal("0.00125");
  private static final BigDecimal OUTPUT = new BigDecimal("0.01");

  @TempDir
  Path dir;
  private TestWorld world;
  private String database;
  private final Map<String, String> keys = new HashMap<>();

  @AfterEach
  void stop() throws Exception {
    if (world != null) {
      world.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  private static String documentOf(int sections) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= sections; i++) {
      text.append("Section ").append(i).append(": the gateway sends each request to provisioned throughput first")
          .append(" and spills to pay-as-you-go. ");
    }
    return text.toString();
  }

  private void start(String ledgerYaml) {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 0, 0).withPromptCache(true)));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%1$s", deployment: gpt-4o, auth: { apiKey: %2$s }, tier: payg }
        cache: { ttl: 10m }
        consumers:
          - { id: steady, team: red, models: ["*"] }
          - { id: shifty, team: red, models: ["*"] }
        auth:
          keyStore: %3$s
          keyPepper: pepper-0123456789abcdef
        costs:
          currency: EUR
          payg:
            gpt-4o: { input: 0.0025, output: 0.01, cachedInput: 0.00125 }
        %4$s
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"), ledgerYaml);
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore store = world.gateway.keys().orElseThrow();
    for (String consumer : List.of("steady", "shifty")) {
      keys.put(consumer, store.create(consumer, Instant.now()).plaintext());
    }
  }

  @Test
  void theSqliteLedgerKeepsCacheFactsAndTheReportsReadThem() throws Exception {
    Path db = dir.resolve("usage.db");
    start("ledger: { sqlite: \"%s\", spillDirectory: \"%s\" }".formatted(db, dir.resolve("spill")));
    sendTraffic();
    assertLedgerAndReports(() -> java.sql.DriverManager.getConnection("jdbc:sqlite:" + db), "time_ms");
  }

  @Test
  void thePostgresLedgerKeepsCacheFactsAndTheReportsReadThem() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    start("ledger: { postgres: { url: \"%s\", user: postgres }, spillDirectory: \"%s\" }"
        .formatted(PostgresTestSupport.jdbcUrl(database), dir.resolve("spill")));
    sendTraffic();
    assertLedgerAndReports(() -> PostgresTestSupport.connect(database), "time");
  }

  private static String longChat(String system, String question) {
    return "{\"model\":\"gpt-4o\",\"max_tokens\":8,\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private HttpResponse<String> send(String consumer, String body) throws Exception {
    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), body, Map.of("api-key", keys.get(consumer)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private void sendTraffic() throws Exception {
    long documentTokens = TokenEstimator.byModelFamily().countText(DOCUMENT, "gpt-4o");
    assertThat(documentTokens).as("one block of 1,024 tokens in common, not two").isBetween(1_100L, 2_000L);
    for (int i = 1; i <= 11; i++) {
      JsonNode usage = Http.json(send("steady", longChat(DOCUMENT, "Question " + i + ": which tier served me?")))
          .path("usage");
      assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(i == 1 ? 0 : 1_024);
      String moment = "Request " + i + " of shifty at 2026-12-05T08:00:" + (10 + i) + "Z. ";
      usage = Http.json(send("shifty", longChat(moment + DOCUMENT, "Question " + i))).path("usage");
      assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isZero();
    }
    HttpResponse<String> miss = send("steady", SHORT);
    assertThat(miss.headers().firstValue("x-spillway-cache")).contains("MISS");
    HttpResponse<String> hit = send("steady", SHORT);
    assertThat(hit.headers().firstValue("x-spillway-cache")).contains("HIT");
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  /** consumer|hash (or null)|cached tokens|cache status|saved prompt|saved completion|prompt tokens, in time order. */
  private static List<String[]> rows(Connect connect, String timeColumn) {
    List<String[]> rows = new ArrayList<>();
    try (Connection c = connect.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT consumer, prompt_prefix_hash, cached_tokens, cache_status,"
            + " saved_prompt_tokens, saved_completion_tokens, prompt_tokens, completion_tokens FROM usage ORDER BY "
            + timeColumn + ", request_id")) {
      while (r.next()) {
        rows.add(new String[] {r.getString(1), r.getObject(2) == null ? null : Long.toString(r.getLong(2)),
            Long.toString(r.getLong(3)), r.getString(4), Long.toString(r.getLong(5)), Long.toString(r.getLong(6)),
            Long.toString(r.getLong(7)), Long.toString(r.getLong(8))});
      }
    } catch (SQLException e) {
      return List.of(); // the table is created by the ledger's first write
    }
    return rows;
  }

  private void assertLedgerAndReports(Connect connect, String timeColumn) throws Exception {
    TestWorld.await("the ledger has the 24 rows", () -> rows(connect, timeColumn).size() == 24);
    List<String[]> rows = rows(connect, timeColumn);

    List<String[]> steadyLong = rows.stream().filter(r -> r[0].equals("steady") && r[1] != null).toList();
    List<String[]> shiftyLong = rows.stream().filter(r -> r[0].equals("shifty")).toList();
    assertThat(steadyLong).hasSize(11);
    assertThat(steadyLong.stream().map(r -> r[1]).distinct()).hasSize(1);
    assertThat(steadyLong.stream().mapToLong(r -> Long.parseLong(r[2])).sum()).isEqualTo(10 * 1_024);
    assertThat(shiftyLong).hasSize(11).allSatisfy(r -> assertThat(r[1]).isNotNull());
    assertThat(new HashSet<>(shiftyLong.stream().map(r -> r[1]).toList())).hasSize(11);
    assertThat(new HashSet<>(shiftyLong.stream().map(r -> r[1]).toList())).doesNotContain(steadyLong.get(0)[1]);
    List<String[]> shortOnes = rows.stream().filter(r -> r[0].equals("steady") && r[1] == null).toList();
    assertThat(shortOnes).extracting(r -> r[3]).containsExactlyInAnyOrder("miss", "exact");
    String[] missRow = shortOnes.stream().filter(r -> r[3].equals("miss")).findFirst().orElseThrow();
    String[] hitRow = shortOnes.stream().filter(r -> r[3].equals("exact")).findFirst().orElseThrow();
    assertThat(hitRow[6]).as("a hit spends no tokens").isEqualTo("0");
    assertThat(hitRow[4]).as("saved prompt tokens: what the miss spent").isEqualTo(missRow[6]).isNotEqualTo("0");
    assertThat(hitRow[5]).as("saved completion tokens").isEqualTo(missRow[7]);

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(2);

    JsonNode chargeback = Http.json(Http.get(world.url("/admin/usage?by=consumer&" + period)));
    JsonNode steady = row(chargeback, "steady", null);
    assertThat(steady.path("cacheHits").asLong()).isEqualTo(1);
    assertThat(steady.path("semanticCacheHits").asLong()).isZero();
    assertThat(steady.path("savedPromptTokens").asLong()).isEqualTo(Long.parseLong(missRow[6]));
    assertThat(steady.path("savedCompletionTokens").asLong()).isEqualTo(Long.parseLong(missRow[7]));
    BigDecimal saved = INPUT.multiply(new BigDecimal(missRow[6])).add(OUTPUT.multiply(new BigDecimal(missRow[7])))
        .movePointLeft(3).setScale(6, RoundingMode.HALF_EVEN);
    assertThat(new BigDecimal(steady.path("savedCost").asText())).isEqualTo(saved);
    assertThat(chargeback.path("totals").path("cacheHits").asLong()).isEqualTo(1);
    assertThat(row(chargeback, "shifty", null).path("cacheHits").asLong()).isZero();

    HttpResponse<String> cacheResponse = Http.get(world.url("/admin/usage?cache=true&" + period));
    assertThat(cacheResponse.statusCode()).as(cacheResponse.body()).isEqualTo(200);
    JsonNode report = Http.json(cacheResponse);
    assertThat(report.path("by").asText()).isEqualTo("consumer");
    JsonNode steadyCache = row(report, "steady", "gpt-4o");
    long steadyPrompt = rows.stream().filter(r -> r[0].equals("steady") && !r[6].equals("0"))
        .mapToLong(r -> Long.parseLong(r[6])).sum();
    assertThat(steadyCache.path("requests").asLong()).as("11 long and the short miss; the hit sent no prompt")
        .isEqualTo(12);
    assertThat(steadyCache.path("promptTokens").asLong()).isEqualTo(steadyPrompt);
    assertThat(steadyCache.path("cachedTokens").asLong()).isEqualTo(10_240);
    assertThat(steadyCache.path("cachedShare").decimalValue())
        .isEqualByComparingTo(new BigDecimal(10_240).divide(new BigDecimal(steadyPrompt), 3, RoundingMode.HALF_UP));
    assertThat(steadyCache.path("longPrompts").asLong()).isEqualTo(11);
    assertThat(steadyCache.path("prefixPairs").asLong()).isEqualTo(10);
    assertThat(steadyCache.path("stablePairs").asLong()).isEqualTo(10);
    assertThat(steadyCache.path("prefixStability").decimalValue()).isEqualByComparingTo("1");
    // 10,240 cached PAYG tokens × (0.0025 − 0.00125) / 1000
    assertThat(new BigDecimal(steadyCache.path("savedCost").asText()))
        .isEqualTo(INPUT.subtract(CACHED_INPUT).multiply(new BigDecimal(10_240)).movePointLeft(3).setScale(6));
    assertThat(steadyCache.path("flags")).isEmpty();

    JsonNode shifty = row(report, "shifty", "gpt-4o");
    assertThat(shifty.path("requests").asLong()).isEqualTo(11);
    assertThat(shifty.path("prefixPairs").asLong()).isEqualTo(10);
    assertThat(shifty.path("stablePairs").asLong()).isZero();
    assertThat(shifty.path("cachedShare").decimalValue()).isEqualByComparingTo("0");
    assertThat(shifty.path("flags").get(0).asText()).isEqualTo("varies_early");

    String table = Http.get(world.url("/admin/usage?cache=true&format=table&by=team&" + period)).body();
    assertThat(table).startsWith("Prompt cache by team and model, ").contains("red ");
    assertParameterError("/admin/usage?cache=maybe", "cache");
    assertParameterError("/admin/usage?cache=true&by=tier", "by");
  }

  private void assertParameterError(String path, String param) throws Exception {
    HttpResponse<String> bad = Http.get(world.url(path));
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    JsonNode error = Http.json(bad).path("error");
    assertThat(error.path("param").asText()).isEqualTo(param);
    assertThat(error.path("code").asText()).isEqualTo("invalid_value");
    assertThat(error.path("type").asText()).isNotBlank();
  }

  /** The report row of {@code key} (and {@code model}, when given). */
  private static JsonNode row(JsonNode report, String key, String model) {
    for (JsonNode r : report.path("rows")) {
      if (r.path("key").asText().equals(key) && (model == null || r.path("model").asText().equals(model))) {
        return r;
      }
    }
    throw new AssertionError("no row " + key + " " + model + " in " + report);
  }
}
