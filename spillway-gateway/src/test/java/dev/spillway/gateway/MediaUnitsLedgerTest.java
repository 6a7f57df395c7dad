package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images, audio seconds and characters land in the ledger beside the tokens, in SQLite and in PostgreSQL, through a
 * gateway in front of the simulator; the chargeback report by operation sums them.
 *
 * <p>The traffic: two images in one generation; a whisper transcription of a 2.5 s WAV file as JSON (the simulator
 * reports {@code usage: {type: duration, seconds: 3}}, whole seconds rounded up: the report wins over the file), the
 * same file as text (no report: the file's 2.5 s, estimated), a file that is not WAV as text (nothing to book); a
 * translation of a 1.25 s file as {@code verbose_json} (its {@code duration}); speech of a 13-character input whose
 * rocket is two UTF-16 units; and an image request for a model that does not exist (refused: no units).
 */
class MediaUnitsLedgerTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String SPEECH = "Hello \uD83D\uDE80 world";

  @TempDir
  Path dir;
  private TestWorld world;
  private String database;

  @AfterEach
  void stop() throws Exception {
    if (world != null) {
      world.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  private void start(String ledgerYaml) {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.images("gpt-image-1"), DeploymentConfig.audio("whisper-1"), DeploymentConfig.audio("tts")));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-image-1:
            backends:
              - { id: img, url: "%1$s", deployment: gpt-image-1, auth: { apiKey: %2$s }, tier: payg }
          whisper:
            backends:
              - { id: whisper, url: "%1$s", deployment: whisper-1, auth: { apiKey: %2$s }, tier: payg }
          tts:
            backends:
              - { id: tts, url: "%1$s", deployment: tts, auth: { apiKey: %2$s }, tier: payg }
        %3$s
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, ledgerYaml);
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
  }

  @Test
  void theSqliteLedgerBooksUnitsAndTheReportSumsThemByOperation() throws Exception {
    Path db = dir.resolve("usage.db");
    start("ledger: { sqlite: \"%s\", spillDirectory: \"%s\" }".formatted(db, dir.resolve("spill")));
    sendTraffic();
    assertRowsAndReport(() -> java.sql.DriverManager.getConnection("jdbc:sqlite:" + db), "time_ms");
  }

  @Test
  void thePostgresLedgerBooksUnitsAndTheReportSumsThemByOperation() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    start("ledger: { postgres: { url: \"%s\", user: postgres }, spillDirectory: \"%s\" }"
        .formatted(PostgresTestSupport.jdbcUrl(database), dir.resolve("spill")));
    sendTraffic();
    assertRowsAndReport(() -> PostgresTestSupport.connect(database), "time");
  }

  private void sendTraffic() throws Exception {
    HttpResponse<String> images = Http.post(world.url("/v1/images/generations"),
        "{\"model\":\"gpt-image-1\",\"prompt\":\"two lighthouses\",\"n\":2,\"size\":\"1024x1024\","
            + "\"quality\":\"low\"}");
    assertThat(images.statusCode()).as(images.body()).isEqualTo(200);
    assertThat(Http.json(images).path("data")).hasSize(2);
    assertThat(Http.post(world.url("/v1/images/generations"), "{\"model\":\"gpt-9\",\"prompt\":\"x\"}").statusCode())
        .isEqualTo(404);

    Path wav = TestUploads.wav(dir, 2.5);
    HttpResponse<String> json = upload("/v1/audio/transcriptions", TestUploads.form(wav, "file", "model", "whisper"));
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    assertThat(Http.json(json).path("usage").path("seconds").asLong()).isEqualTo(3);
    HttpResponse<String> text = upload("/v1/audio/transcriptions",
        TestUploads.form(wav, "file", "model", "whisper", "response_format", "text"));
    assertThat(text.statusCode()).as(text.body()).isEqualTo(200);
    assertThat(text.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    Path mp3 = Files.write(dir.resolve("clip.mp3"), new byte[32_000]);
    assertThat(upload("/v1/audio/transcriptions",
        TestUploads.form(mp3, "file", "model", "whisper", "response_format", "text")).statusCode()).isEqualTo(200);
    HttpResponse<String> translation = upload("/v1/audio/translations",
        TestUploads.form(TestUploads.wav(dir, 1.25), "file", "model", "whisper", "response_format", "verbose_json"));
    assertThat(translation.statusCode()).as(translation.body()).isEqualTo(200);
    assertThat(Http.json(translation).path("duration").asDouble()).isEqualTo(1.25);

    assertThat(SPEECH.length()).isEqualTo(14);
    HttpResponse<byte[]> speech = Http.postBytes(world.url("/v1/audio/speech"),
        "{\"model\":\"tts\",\"input\":\"" + SPEECH + "\",\"voice\":\"alloy\",\"response_format\":\"wav\"}");
    assertThat(speech.statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> upload(String path, HttpRequest.BodyPublisher body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(world.url(path))).timeout(Duration.ofSeconds(30))
        .header("content-type", "multipart/form-data; boundary=" + TestUploads.BOUNDARY).POST(body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  private void assertRowsAndReport(Connect connect, String timeColumn) throws Exception {
    TestWorld.await("the ledger has the 7 rows", () -> rows(connect, timeColumn).size() == 7);
    assertThat(rows(connect, timeColumn)).containsExactlyInAnyOrder(
        "images/generations|200|images|2.0|false",
        "images/generations|404|null|null|false",
        "audio/transcriptions|200|audio_seconds|3.0|false",
        "audio/transcriptions|200|audio_seconds|2.5|true",
        "audio/transcriptions|200|null|null|false",
        "audio/translations|200|audio_seconds|1.25|false",
        "audio/speech|200|characters|13.0|false");

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    HttpResponse<String> report = Http.get(world.url(
        "/admin/usage?by=operation&from=" + today.minusDays(1) + "&to=" + today.plusDays(2)));
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    JsonNode json = Http.json(report);
    Map<String, String> byOperation = new HashMap<>();
    for (JsonNode row : json.path("rows")) {
      byOperation.put(row.path("key").asText(), units(row));
    }
    assertThat(byOperation).containsOnly(
        Map.entry("images/generations", "2|1|2|0.000|0"),
        Map.entry("audio/transcriptions", "3|0|0|5.500|0"),
        Map.entry("audio/translations", "1|0|0|1.250|0"),
        Map.entry("audio/speech", "1|0|0|0.000|13"));
    assertThat(units(json.path("totals"))).isEqualTo("7|1|2|6.750|13");
  }

  /** requests|failed|images|audio seconds|characters of a report row. */
  private static String units(JsonNode row) {
    return row.path("requests").asLong() + "|" + row.path("failedRequests").asLong() + "|"
        + row.path("images").asLong() + "|" + row.path("audioSeconds").decimalValue().setScale(3) + "|"
        + row.path("characters").asLong();
  }

  /** route|status|unit|units|units_estimated of every row. */
  private static List<String> rows(Connect connect, String timeColumn) {
    List<String> rows = new ArrayList<>();
    try (Connection c = connect.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT route, status, unit, units, units_estimated FROM usage ORDER BY "
            + timeColumn)) {
      while (r.next()) {
        Object units = r.getObject(4);
        rows.add(r.getString(1) + "|" + r.getInt(2) + "|" + r.getString(3) + "|"
            + (units == null ? "null" : Double.toString(r.getDouble(4))) + "|" + r.getBoolean(5));
      }
    } catch (SQLException e) {
      return List.of(); // the table is created by the ledger's first write
    }
    return rows;
  }
}
