package dev.spillway.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.chargeback.ReportPeriod;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /admin/usage} over a real gateway, simulator and SQLite ledger, checked against the ledger file. */
class UsageEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  private static final String PERIOD = "from=" + TODAY.minusDays(1) + "&to=" + TODAY.plusDays(2);

  @TempDir static Path dir;
  private static UsageWorld world;

  @BeforeAll
  static void recordAndServe() throws Exception {
    world = new UsageWorld(dir, true).recordTraffic().serve();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private HttpResponse<String> usage(String query) throws Exception {
    return world.get("/admin/usage?" + query, UsageWorld.ADMIN_KEY);
  }

  @Test
  void theReportsCountsAreTheLedgersSumsByTeam() throws Exception {
    HttpResponse<String> response = usage(PERIOD);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode report = JSON.readTree(response.body());
    assertThat(report.get("by").asText()).isEqualTo("team");
    assertThat(report.get("currency").asText()).isEqualTo("EUR");

    Map<String, long[]> ledger = world.ledgerSums("team");
    assertThat(ledger.keySet()).containsExactlyInAnyOrder("retail", "finance", "TOTAL");
    assertThat(ledger.get("TOTAL")[0]).isEqualTo(6);
    assertThat(ledger.get("TOTAL")[1]).isEqualTo(1);
    for (JsonNode row : report.get("rows")) {
      assertThat(counts(row)).as(row.get("key").asText()).containsExactly(ledger.get(row.get("key").asText()));
    }
    assertThat(report.get("rows")).hasSize(2);
    assertThat(counts(report.get("totals"))).containsExactly(ledger.get("TOTAL"));
  }

  @Test
  void theCostsAreThePtuForThePeriodAndThePaygPriceOfThePaygTokens() throws Exception {
    assertThat(world.ledgerSums("tier").keySet()).as("the traffic used both tiers").contains("ptu", "payg");
    JsonNode report = JSON.readTree(usage(PERIOD + "&by=tier").body());
    BigDecimal ptuForPeriod = new ReportPeriod(TODAY.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        TODAY.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant()).amortize(new BigDecimal("18000"), 6);
    JsonNode ptu = report.get("ptu").get(0);
    assertThat(ptu.get("backend").asText()).isEqualTo("ptu-1");
    assertThat(new BigDecimal(ptu.get("periodCost").asText())).isEqualTo(ptuForPeriod);
    assertThat(ptu.get("unused").asBoolean()).isFalse();

    JsonNode totals = report.get("totals");
    assertThat(new BigDecimal(totals.get("ptuCost").asText())).isEqualTo(ptuForPeriod);
    assertThat(new BigDecimal(totals.get("paygCost").asText())).isEqualByComparingTo(world.ledgerPaygCost().setScale(6, java.math.RoundingMode.HALF_EVEN));
    BigDecimal rowsTotal = StreamSupport.stream(report.get("rows").spliterator(), false)
        .map(r -> new BigDecimal(r.get("totalCost").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(rowsTotal).isEqualTo(new BigDecimal(totals.get("totalCost").asText()));
    assertThat(report.get("unpricedModels")).isEmpty();
  }

  @Test
  void everyDimensionAddsUpToTheLedger() throws Exception {
    Map<String, String> columns = Map.of("team", "team", "consumer", "consumer", "model", "model", "backend", "backend",
        "tier", "tier", "operation", "route", "user", "end_user");
    for (Map.Entry<String, String> by : columns.entrySet()) {
      JsonNode report = JSON.readTree(usage(PERIOD + "&by=" + by.getKey()).body());
      Map<String, long[]> ledger = world.ledgerSums(by.getValue());
      for (JsonNode row : report.get("rows")) {
        String key = row.get("key").asText().equals("(none)") ? "" : row.get("key").asText();
        assertThat(counts(row)).as(by.getKey() + " " + key).containsExactly(ledger.get(key));
      }
      assertThat(counts(report.get("totals"))).as(by.getKey()).containsExactly(ledger.get("TOTAL"));
    }
  }

  @Test
  void byUserTheRowsAreTheEndUsersTheRequestsNamedWithTheHeaderFirst() throws Exception {
    HttpResponse<String> response = usage(PERIOD + "&by=user");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode report = JSON.readTree(response.body());
    assertThat(report.get("by").asText()).isEqualTo("user");
    Map<String, long[]> ledger = world.ledgerSums("end_user");
    assertThat(ledger.keySet()).containsExactlyInAnyOrder("shopper-1", "shopper-2", "clerk-7", "", "TOTAL");
    List<String> keys = new java.util.ArrayList<>();
    for (JsonNode row : report.get("rows")) {
      keys.add(row.get("key").asText());
    }
    assertThat(keys).containsExactly("clerk-7", "shopper-1", "shopper-2", "(none)");
    assertThat(counts(report.get("rows").get(0))[0]).as("clerk-7: the streamed chat and the refused one").isEqualTo(2);
    assertThat(counts(report.get("rows").get(0))[1]).isEqualTo(1);
    assertThat(counts(report.get("rows").get(1))[0]).isEqualTo(2);
    assertThat(counts(report.get("rows").get(3))[0]).isEqualTo(1);
    assertThat(response.body()).doesNotContain("body-user");
    assertThat(counts(report.get("totals"))).containsExactly(ledger.get("TOTAL"));

    HttpResponse<String> table = usage(PERIOD + "&by=user&format=table");
    assertThat(table.body()).startsWith("Chargeback by user, ").containsPattern("\n\\(none\\) +1 ");
  }

  @Test
  void csvAndTableHaveTheirContentTypes() throws Exception {
    HttpResponse<String> csv = usage(PERIOD + "&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type")).contains("text/csv; charset=utf-8");
    assertThat(csv.body()).startsWith("team,requests,failed_requests,").contains("\r\nTOTAL,6,1,");
    HttpResponse<String> table = usage(PERIOD + "&format=table&by=backend");
    assertThat(table.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
    assertThat(table.body()).startsWith("Chargeback by backend, ").contains("total EUR").contains("PTU ptu-1: 18000 EUR a month");
  }

  @Test
  void badParametersAreA400NamingThem() throws Exception {
    assertError(usage("by=planet"), 400, "invalid_value", "by");
    assertError(usage("format=xml"), 400, "invalid_value", "format");
    assertError(usage("from=last-week"), 400, "invalid_value", "from");
    assertError(usage("from=2026-11-02&to=2026-11-01"), 400, "invalid_value", "from");
  }

  @Test
  void theAdminKeyIsRequired() throws Exception {
    assertError(world.get("/admin/usage", null), 401, "missing_api_key", null);
    assertError(world.get("/admin/usage", "not-the-admin-key-0123456789"), 401, "invalid_api_key", null);
  }

  /**
   * Without an admin key, admin answers loopback callers only: the same gateway, listening on every interface, refuses
   * a caller that reaches it through a non-loopback address of this machine and answers one on loopback.
   */
  @Test
  void withoutAnAdminKeyOnlyLoopbackCallersGetTheReport(@TempDir Path other) throws Exception {
    Optional<InetAddress> lan = NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
    assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address");
    try (UsageWorld open = new UsageWorld(other, true, false, "0.0.0.0:0").serve()) {
      String query = "/admin/usage?" + PERIOD;
      assertError(UsageWorld.getUrl("http://" + lan.get().getHostAddress() + ":" + open.port() + query, null),
          403, "admin_forbidden", null);
      assertThat(UsageWorld.getUrl("http://127.0.0.1:" + open.port() + query, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void onlyGetIsAllowed(@TempDir Path other) throws Exception {
    // A gateway of its own: the refused POST is booked in the ledger, and the shared world's figures must not move
    // while the other tests compare its report with its ledger.
    try (UsageWorld own = new UsageWorld(other, true).serve()) {
      HttpResponse<String> post = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(own.url("/admin/usage")))
              .header("api-key", UsageWorld.ADMIN_KEY).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void withoutALedgerTheAnswerIs409(@TempDir Path other) throws Exception {
    try (UsageWorld noLedger = new UsageWorld(other, false).serve()) {
      assertError(noLedger.get("/admin/usage", UsageWorld.ADMIN_KEY), 409, "ledger_not_configured", null);
    }
  }

  private static void assertError(HttpResponse<String> response, int status, String code, String param) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.get("type").asText()).isNotBlank();
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
  }

  private static long[] counts(JsonNode row) {
    return new long[] {row.get("requests").asLong(), row.get("failedRequests").asLong(), row.get("promptTokens").asLong(),
        row.get("completionTokens").asLong(), row.get("cachedTokens").asLong()};
  }
}
