package dev.spillway.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.config.MetricsAccess;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.limits.LimitKind;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /dashboard}, its assets and {@code /dashboard/api/stats} through real HTTP, and the access rule they share with /metrics. */
class DashboardEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_KEY = "dashboard-admin-key-0123456789";
  private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],\"max_tokens\":20";
  private DashboardWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private JsonNode stats() throws Exception {
    HttpResponse<String> r = world.get(world.url("/dashboard/api/stats"));
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void statsShowAKnownSequenceOfRequests() throws Exception {
    Path dir = Files.createTempDirectory("spillway-dashboard");
    ConsumerConfig app = ConsumerConfig.builder().id("app").team("retail").models(List.of("*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(Map.of(LimitKind.REQUESTS_PER_MINUTE, 3L), List.of("consumer"))).build();
    world = new DashboardWorld().gateway("127.0.0.1", List.of(app), dir.resolve("keys.json"), AdminConfig.LOOPBACK_ONLY);
    String key = world.gateway.keys().orElseThrow().create("app", Instant.now()).plaintext();

    // The tiny PTU serves the first call and throttles the next two, which PAYG absorbs; one is streamed.
    assertThat(world.post(world.url("/v1/chat/completions"), CHAT + "}", "api-key", key).statusCode()).isEqualTo(200);
    assertThat(world.post(world.url("/v1/chat/completions"), CHAT + ",\"stream\":true}", "api-key", key).statusCode()).isEqualTo(200);
    assertThat(world.post(world.url("/v1/chat/completions"), CHAT + "}", "api-key", key).statusCode()).isEqualTo(200);
    // The fourth request in the minute is over the consumer's limit of 3 requests per minute.
    HttpResponse<String> refused = world.post(world.url("/v1/chat/completions"), CHAT + "}", "api-key", key);
    assertThat(refused.statusCode()).isEqualTo(429);

    JsonNode s = stats();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (s.get("current").get("requestsByStatus").path("200").asLong() < 3 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      s = stats(); // a request's outcome is recorded as its response ends: at most a moment after the client saw it
    }

    JsonNode current = s.get("current");
    assertThat(current.get("requestsByStatus").get("200").asLong()).isEqualTo(3);
    assertThat(current.get("requestsByStatus").get("429").asLong()).isEqualTo(1);
    assertThat(current.get("limitRejections").asLong()).isEqualTo(1);
    assertThat(current.get("latencyMs").get("count").asLong()).isEqualTo(3);
    assertThat(current.get("ttftMs").get("count").asLong()).isEqualTo(1);
    assertThat(current.get("ttftMs").get("p50").isNumber()).isTrue();

    JsonNode rejection = s.get("rejections").get(0);
    assertThat(rejection.get("consumer").asText()).isEqualTo("app");
    assertThat(rejection.get("limit").asText()).isEqualTo("rpm");
    assertThat(rejection.get("count").asLong()).isEqualTo(1);

    JsonNode top = s.get("topConsumers").get(0);
    assertThat(top.get("consumer").asText()).isEqualTo("app");
    assertThat(top.get("team").asText()).isEqualTo("retail");
    assertThat(top.get("requests").asLong()).isEqualTo(3);
    assertThat(top.get("tokens").asLong()).isPositive();

    JsonNode backends = s.get("backends");
    assertThat(backends).hasSize(2);
    assertThat(backends.get(0).get("id").asText()).isEqualTo("ptu-1");
    assertThat(backends.get(0).get("tier").asText()).isEqualTo("ptu");
    assertThat(backends.get(0).get("state").asText()).isEqualTo("throttled");
    // The simulator reports azure-openai-deployment-utilization; the tiny PTU is over its capacity.
    assertThat(backends.get(0).get("utilizationPercent").asDouble()).isGreaterThan(100);
    assertThat(backends.get(1).get("id").asText()).isEqualTo("payg-1");
    assertThat(backends.get(1).get("state").asText()).isEqualTo("available");
    assertThat(s.get("ptuUtilization").has("ptu-1")).isTrue();
    assertThat(s.get("ptuUtilization").has("payg-1")).isFalse();
    assertThat(s.get("version").asText()).isNotBlank();

    // The PTU station: with no wait budget the two requests the full PTU could not take spilled for lack of one.
    JsonNode station = s.get("stations").get(0);
    assertThat(station.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(station.get("mode").asText()).isEqualTo("station");
    assertThat(station.get("waiting").get("standard").asInt()).isZero();
    assertThat(station.get("spilled").get("no-budget").asLong()).isEqualTo(2);
    assertThat(station.get("paygRefused").get("standard").asLong()).isZero();
  }

  @Test
  void pageAndAssetsAreServedWithTheirTypesCachingAndAStrictPolicy() throws Exception {
    world = new DashboardWorld().gateway("127.0.0.1", List.of(), null, AdminConfig.LOOPBACK_ONLY);

    for (String path : List.of("/dashboard", "/dashboard/", "/dashboard/index.html")) {
      HttpResponse<String> page = world.get(world.url(path));
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
      assertThat(page.body()).contains("<script src=\"/dashboard/dashboard.js\" defer></script>");
    }
    HttpResponse<String> page = world.get(world.url("/dashboard"));
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).startsWith("default-src 'self'");
    assertThat(page.headers().firstValue("x-content-type-options")).contains("nosniff");
    assertThat(page.headers().firstValue("cache-control")).contains("no-cache");
    // Nothing from elsewhere and no inline script: the policy would block it.
    assertThat(page.body()).doesNotContain("http://", "https://", "<script>", " style=");

    Map<String, String> types = Map.of(
        "/dashboard/dashboard.js", "text/javascript; charset=utf-8",
        "/dashboard/dashboard.css", "text/css; charset=utf-8",
        "/dashboard/favicon.svg", "image/svg+xml");
    for (Map.Entry<String, String> e : types.entrySet()) {
      HttpResponse<String> asset = world.get(world.url(e.getKey()));
      assertThat(asset.statusCode()).as(e.getKey()).isEqualTo(200);
      assertThat(asset.headers().firstValue("content-type")).contains(e.getValue());
      String etag = asset.headers().firstValue("etag").orElseThrow();
      assertThat(world.get(world.url(e.getKey()), "if-none-match", etag).statusCode()).isEqualTo(304);
    }

    HttpResponse<String> data = world.get(world.url("/dashboard/api/stats"));
    assertThat(data.headers().firstValue("content-type")).contains("application/json");
    assertThat(data.headers().firstValue("cache-control")).contains("no-store");
    assertThat(data.headers().firstValue("content-security-policy")).isPresent();

    assertThat(world.get(world.url("/dashboard/missing.js")).statusCode()).isEqualTo(404);
    assertThat(world.get(world.url("/dashboard/%2e%2e/pom.xml")).statusCode()).isEqualTo(404);
    assertThat(world.get(world.url("/dashboard/dashboard/index.html")).statusCode()).isEqualTo(404);
    assertThat(world.post(world.url("/dashboard"), "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void adminAccessRequiresTheAdminKeyForPageAndData() throws Exception {
    world = new DashboardWorld().gateway("127.0.0.1", List.of(), null,
        new AdminConfig(Optional.of(ADMIN_KEY), Optional.empty(), Optional.empty(), MetricsAccess.ADMIN));

    for (String path : List.of("/dashboard", "/dashboard/dashboard.js", "/dashboard/api/stats")) {
      assertThat(world.get(world.url(path)).statusCode()).as(path).isEqualTo(401);
      assertThat(world.get(world.url(path), "api-key", "wrong-key-0123456789").statusCode()).as(path).isEqualTo(401);
      assertThat(world.get(world.url(path), "api-key", ADMIN_KEY).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void openAccessNeedsNothingWhileTheAdminApiStillDoes() throws Exception {
    world = new DashboardWorld().gateway("127.0.0.1", List.of(), null,
        new AdminConfig(Optional.of(ADMIN_KEY), Optional.empty(), Optional.empty(), MetricsAccess.OPEN));

    assertThat(world.get(world.url("/dashboard")).statusCode()).isEqualTo(200);
    assertThat(world.get(world.url("/dashboard/api/stats")).statusCode()).isEqualTo(200);
    assertThat(world.get(world.url("/admin/backends")).statusCode()).isEqualTo(401);
  }

  @Test
  void loopbackAccessRefusesOtherAddresses() throws Exception {
    Optional<InetAddress> own = NetworkInterface.networkInterfaces()
        .filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (java.net.SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
    assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address to call from");
    world = new DashboardWorld().gateway("0.0.0.0", List.of(), null, AdminConfig.LOOPBACK_ONLY);
    String fromOutside = "http://" + own.get().getHostAddress() + ":" + world.gateway.port();

    assertThat(world.get(fromOutside + "/dashboard").statusCode()).isEqualTo(403);
    assertThat(world.get(fromOutside + "/dashboard/api/stats").statusCode()).isEqualTo(403);
    assertThat(world.get(fromOutside + "/metrics").statusCode()).isEqualTo(403);
    assertThat(world.get(world.url("/dashboard/api/stats")).statusCode()).isEqualTo(200);
  }
}
