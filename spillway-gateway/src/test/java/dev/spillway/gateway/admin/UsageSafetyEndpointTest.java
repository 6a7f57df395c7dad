package dev.spillway.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /admin/usage?safety=true} over a real gateway and an SQLite ledger holding rows with the content guard's
 * verdicts ({@link UsageWorld#recordSafetyRows()}), checked against the ledger file.
 */
class UsageSafetyEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PERIOD = "from=2020-03-02&to=2020-03-04";

  @TempDir static Path dir;
  private static UsageWorld world;

  @BeforeAll
  static void recordAndServe() throws Exception {
    world = new UsageWorld(dir, true).recordSafetyRows().serve();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private HttpResponse<String> usage(String query) throws Exception {
    return world.get("/admin/usage?" + query, UsageWorld.ADMIN_KEY);
  }

  @Test
  void jsonByHourHasTheLedgersCountsAndTheRankedEndUsers() throws Exception {
    HttpResponse<String> response = usage(PERIOD + "&safety=true&bucket=hour");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("bucket").asText()).isEqualTo("hour");

    Map<String, long[]> ledger = world.ledgerSafety("%Y-%m-%dT%H:00:00Z", Instant.parse("2020-03-02T00:00:00Z"),
        Instant.parse("2020-03-04T00:00:00Z"));
    assertThat(json.get("buckets")).hasSize(ledger.size());
    for (JsonNode b : json.get("buckets")) {
      long[] expected = ledger.get(b.get("start").asText());
      assertThat(expected).as(b.get("start").asText()).isNotNull();
      assertThat(new long[] {b.get("requests").asLong(), b.get("logged").asLong(), b.get("masked").asLong(),
          b.get("blocked").asLong()}).containsExactly(expected);
    }
    JsonNode noon = json.get("buckets").get(2);
    assertThat(noon.get("start").asText()).isEqualTo("2020-03-02T12:00:00Z");
    assertThat(noon.get("blockedShare").decimalValue()).isEqualByComparingTo("0.4");
    assertThat(noon.get("categories").toString()).isEqualTo(
        "[{\"category\":\"hate\",\"logged\":0,\"masked\":0,\"blocked\":2},"
            + "{\"category\":\"pii.email\",\"logged\":0,\"masked\":1,\"blocked\":0}]");
    assertThat(json.get("endUsers").findValuesAsText("endUser"))
        .containsExactly("shopper-1", UsageWorld.FORMULA_USER, "clerk-7");
  }

  @Test
  void csvAndTableHaveTheirContentTypesAndTheCsvIsInert() throws Exception {
    HttpResponse<String> csv = usage(PERIOD + "&safety=true&format=csv");
    assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type")).contains("text/csv; charset=utf-8");
    assertThat(csv.body()).startsWith("section,start,category,")
        .contains("\r\nbucket,2020-03-03T00:00:00Z,,,,1,1,0,0,1,1.000,1.000\r\n")
        .contains("\r\nend_user,,blocklist=5,billing,'" + UsageWorld.FORMULA_USER + ",");
    HttpResponse<String> table = usage(PERIOD + "&safety=TRUE&format=table");
    assertThat(table.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
    assertThat(table.body()).startsWith("Safety verdicts by day (UTC), ")
        .containsPattern("\n2020-03-02 +all +37 +17 +1 +3 +13 +35\\.1%\n");
  }

  @Test
  void eachBucketCountsItsFlaggedRowsPerSeverityAsTheLedgerHasThem() throws Exception {
    HttpResponse<String> response = usage(PERIOD + "&safety=true&bucket=hour");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode json = JSON.readTree(response.body());

    Map<String, Map<Integer, long[]>> ledger = world.ledgerSeverities("%Y-%m-%dT%H:00:00Z",
        Instant.parse("2020-03-02T00:00:00Z"), Instant.parse("2020-03-04T00:00:00Z"));
    assertThat(ledger).hasSize(4);
    for (JsonNode b : json.get("buckets")) {
      Map<Integer, long[]> expected = ledger.get(b.get("start").asText());
      assertThat(b.get("severities")).as(b.get("start").asText()).hasSize(expected.size());
      int i = 0;
      for (Map.Entry<Integer, long[]> e : expected.entrySet()) {
        JsonNode level = b.get("severities").get(i++);
        assertThat(level.get("severity").asInt()).isEqualTo(e.getKey());
        assertThat(new long[] {level.get("logged").asLong(), level.get("masked").asLong(),
            level.get("blocked").asLong()}).containsExactly(e.getValue());
      }
    }
    JsonNode ten = json.get("buckets").get(0);
    assertThat(ten.get("start").asText()).isEqualTo("2020-03-02T10:00:00Z");
    assertThat(ten.get("maxSeverity").asInt()).isEqualTo(6);
    JsonNode six = ten.get("severities").get(1);
    assertThat(six.get("severity").asInt()).isEqualTo(6);
    assertThat(six.get("blockedShare").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(six.get("categories").toString())
        .isEqualTo("[{\"category\":\"prompt_injection\",\"logged\":0,\"masked\":0,\"blocked\":6}]");
    JsonNode totals = json.get("totals").get("severities");
    assertThat(totals.findValuesAsText("severity")).containsExactly("0", "2", "4", "6");
    assertThat(totals.get(3).get("blocked").asLong()).isEqualTo(7);
    assertThat(totals.get(2).get("categories").toString()).isEqualTo(
        "[{\"category\":\"blocklist\",\"logged\":0,\"masked\":0,\"blocked\":5},"
            + "{\"category\":\"hate\",\"logged\":0,\"masked\":0,\"blocked\":2}]");

    HttpResponse<String> table = usage(PERIOD + "&safety=true&format=table");
    assertThat(table.body()).containsPattern("\n2020-03-02 +6 +6 +0 +0 +6 +16\\.2% +prompt_injection 6 \\(6 blocked\\)\n"
        + " +4 +7 +0 +0 +7 +18\\.9% +blocklist 5 \\(5 blocked\\), hate 2 \\(2 blocked\\)\n");
  }

  @Test
  void parametersTheSafetyReportCannotUseAreA400NamingThem() throws Exception {
    assertError(usage("safety=maybe"), "safety");
    assertError(usage("safety=true&bucket=week"), "bucket");
    assertError(usage("bucket=hour"), "bucket");
    assertError(usage("safety=true&by=user"), "by");
    assertError(usage("safety=true&cache=true"), "safety");
  }

  private static void assertError(HttpResponse<String> response, String param) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_value");
    assertThat(error.get("param").asText()).isEqualTo(param);
  }
}
