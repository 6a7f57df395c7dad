package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end user lands in the ledger, in SQLite and in PostgreSQL, through a gateway in front of the simulator: the
 * body's {@code user} of a chat completion, a completion, an embeddings request and a response; a response's {@code
 * safety_identifier} when it has no {@code user}; the configured {@code ledger.endUserHeader}, which wins over the
 * body and names the end user of a request without a body (even one refused at the edge); bounded (control characters removed, cut to 128
 * characters); empty when none; kept for a request refused after its body was read. {@code /admin/usage?by=user} groups
 * the rows by it, and no log line shows one. An upload names its end user in the form's {@code user} field.
 */
class EndUserLedgerTest {
  private static final String HEADER = "x-end-user";
  private static final String LONG = "\u0007" + "long-user-".repeat(20);
  private static final java.net.http.HttpClient UPLOADS =
      java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;
  private TestWorld world;
  private String database;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @AfterEach
  void stop() throws Exception {
    Logger.getLogger("").removeHandler(capture);
    if (world != null) {
      world.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  private void start(String ledgerYaml) {
    Logger.getLogger("").addHandler(capture);
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 0, 0),
        DeploymentConfig.embeddings("emb-small", 16), DeploymentConfig.audio("whisper-1")));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%1$s", deployment: gpt-4o, auth: { apiKey: %2$s }, tier: payg }
          text-embedding-3-small:
            backends:
              - { id: emb, url: "%1$s", deployment: emb-small, auth: { apiKey: %2$s }, tier: payg }
          whisper:
            backends:
              - { id: whisper, url: "%1$s", deployment: whisper-1, auth: { apiKey: %2$s }, tier: payg }
        %3$s
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, ledgerYaml);
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
  }

  @Test
  void theSqliteLedgerKeepsEachRequestsEndUser() throws Exception {
    Path db = dir.resolve("usage.db");
    start("ledger: { sqlite: \"%s\", spillDirectory: \"%s\", endUserHeader: X-End-User }"
        .formatted(db, dir.resolve("spill")));
    Map<String, String> sent = sendTraffic();
    assertLedgerReportAndLogs(sent, () -> java.sql.DriverManager.getConnection("jdbc:sqlite:" + db));
  }

  @Test
  void thePostgresLedgerKeepsEachRequestsEndUser() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    start("ledger: { postgres: { url: \"%s\", user: postgres }, spillDirectory: \"%s\", endUserHeader: x-end-user }"
        .formatted(PostgresTestSupport.jdbcUrl(database), dir.resolve("spill")));
    Map<String, String> sent = sendTraffic();
    assertLedgerReportAndLogs(sent, () -> PostgresTestSupport.connect(database));
  }

  /** Sends the requests; answers each one's request id with the end user its row must have. */
  private Map<String, String> sendTraffic() throws Exception {
    Map<String, String> expected = new HashMap<>();
    String chat = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":4";
    expected.put(ok(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"user\":\"alice@example.com\"," + chat + "}",
        Map.of())), "alice@example.com");
    expected.put(ok(post("/v1/completions", "{\"model\":\"gpt-4o\",\"prompt\":\"Say hi\",\"max_tokens\":4,"
        + "\"user\":\"u-2\"}", Map.of())), "u-2");
    expected.put(ok(post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\",\"user\":\"u-2\"}",
        Map.of())), "u-2");
    expected.put(ok(post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"Say hi\",\"max_output_tokens\":16,"
        + "\"store\":false,\"safety_identifier\":\"sid-3\"}", Map.of())), "sid-3");
    expected.put(ok(post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"Say hi\",\"max_output_tokens\":16,"
        + "\"store\":false,\"user\":\"u-4\",\"safety_identifier\":\"sid-4\"}", Map.of())), "u-4");
    expected.put(ok(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true,\"user\":\"body-user\","
        + chat + "}", Map.of(HEADER, "header-user"))), "header-user");
    expected.put(ok(post("/v1/chat/completions", "{\"model\":\"gpt-4o\"," + chat + "}", Map.of())), "");
    expected.put(ok(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"user\":\"" + LONG.replace("\u0007",
        "\\u0007") + "\"," + chat + "}", Map.of())), LONG.substring(1, 129));
    HttpResponse<String> refused = post("/v1/chat/completions", "{\"model\":\"gpt-9\",\"user\":\"u-refused\"," + chat
        + "}", Map.of());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
    expected.put(requestId(refused), "u-refused");
    HttpResponse<String> upload = UPLOADS.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(world.url("/v1/audio/transcriptions")))
        .header("content-type", "multipart/form-data; boundary=" + TestUploads.BOUNDARY)
        .POST(TestUploads.form(TestUploads.wav(dir, 1.0), "file", "model", "whisper", "user", "listener-1")).build(),
        HttpResponse.BodyHandlers.ofString());
    expected.put(ok(upload), "listener-1");
    // No body, no route: refused at the edge, still booked to the header's end user.
    HttpResponse<String> unknown = Http.send("GET", world.url("/v1/no-such-route"), null, Map.of(HEADER, "prober"));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    expected.put(requestId(unknown), "prober");
    return expected;
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    return Http.post(world.url(path), body, headers);
  }

  private static String ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return requestId(r);
  }

  private static String requestId(HttpResponse<String> r) {
    return r.headers().firstValue("x-spillway-request-id").orElseThrow();
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  /** request id -> end user of every row so far. */
  private static Map<String, String> rows(Connect connect) {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = connect.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT request_id, end_user, safety_verdict FROM usage")) {
      while (r.next()) {
        assertThat(r.getString(3)).isEqualTo("none");
        rows.put(r.getString(1), r.getString(2));
      }
    } catch (SQLException e) {
      return Map.of(); // the table is created by the ledger's first write
    }
    return rows;
  }

  private void assertLedgerReportAndLogs(Map<String, String> sent, Connect connect) throws Exception {
    try {
      TestWorld.await("the ledger has every request", () -> rows(connect).keySet().containsAll(sent.keySet()));
    } catch (AssertionError e) {
      Map<String, String> missing = new HashMap<>(sent);
      missing.keySet().removeAll(rows(connect).keySet());
      throw new AssertionError("no rows for " + missing + " among " + rows(connect), e);
    }
    Map<String, String> rows = rows(connect);
    for (Map.Entry<String, String> e : sent.entrySet()) {
      assertThat(rows.get(e.getKey())).as("end user of " + e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(LONG.substring(1, 129)).hasSize(128).doesNotContain("\u0007");

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    HttpResponse<String> response = Http.get(world.url("/admin/usage?by=user&from=" + today.minusDays(1) + "&to="
        + today.plusDays(2)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode report = Http.json(response);
    assertThat(report.path("by").asText()).isEqualTo("user");
    Map<String, Long> requests = new HashMap<>();
    Map<String, Long> failed = new HashMap<>();
    for (JsonNode row : report.path("rows")) {
      requests.put(row.path("key").asText(), row.path("requests").asLong());
      failed.put(row.path("key").asText(), row.path("failedRequests").asLong());
    }
    assertThat(requests).containsEntry("alice@example.com", 1L).containsEntry("u-2", 2L).containsEntry("sid-3", 1L)
        .containsEntry("u-4", 1L).containsEntry("header-user", 1L).containsEntry("u-refused", 1L)
        .containsEntry("prober", 1L).containsEntry("listener-1", 1L).containsEntry(LONG.substring(1, 129), 1L)
        .doesNotContainKeys("body-user", "sid-4", "");
    assertThat(failed).containsEntry("u-refused", 1L).containsEntry("prober", 1L).containsEntry("u-2", 0L);
    // Rows that named none (this request and any the gateway booked for the report itself) are "(none)".
    assertThat(requests.get("(none)")).isGreaterThanOrEqualTo(1L);

    for (LogRecord r : logged) {
      String text = new SimpleFormatter().format(r);
      assertThat(text).as(r.getLoggerName())
          .doesNotContain("alice@example.com", "u-refused", "header-user", "sid-3", "long-user-");
    }
  }
}
