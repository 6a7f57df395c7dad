package dev.spillway.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.faults.FaultyUpstream;
import dev.spillway.simulator.faults.UpstreamFault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One gateway for the whole fault matrix: each case has a pool of its own (a model named after the case), so one case's
 * breaker or throttle never decides another's. A pool is either the faulty backend first and a healthy simulator
 * second, or the faulty backend alone. The faulty backend is one {@link FaultyUpstream} that plays the fault its
 * deployment names; {@link UpstreamFault#REFUSED} gets a port with nothing behind it. Timeouts are a few hundred
 * milliseconds, and one counted failure opens a breaker, so each case shows its effect with one request.
 */
final class FaultMatrixWorld implements AutoCloseable {
  static final BackendTimeouts FAULTY_TIMEOUTS =
      new BackendTimeouts(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofMillis(1500));
  /** One failure opens the breaker: a case's single request shows whether it counted. */
  static final BreakerConfig ONE_STRIKE =
      new BreakerConfig(true, 1, 0, 1, Duration.ofSeconds(30), Duration.ofSeconds(30), true, 1, Set.of(500, 502, 503, 504));

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  final TestWorld world;
  final FaultyUpstream faulty;
  final FaultyUpstream refused;
  final Path ledger;

  FaultMatrixWorld(List<String> models) throws IOException {
    // A 429 asks for 30 s, so the throttle is still there when the case looks, however slow the machine.
    faulty = FaultyUpstream.start(UpstreamFault.SERVER_ERROR,
        new FaultyUpstream.Settings(30_000, Duration.ofMillis(50), 200L * 1000 * 1000));
    refused = FaultyUpstream.start(UpstreamFault.REFUSED);
    Path dir = Files.createTempDirectory("spillway-faults");
    ledger = dir.resolve("usage.db");
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 100_000_000, 1_000_000)));
    Map<String, List<BackendConfig>> pools = new LinkedHashMap<>();
    for (String model : models) {
      FaultCase c = FaultCase.of(model);
      String url = c.fault() == UpstreamFault.REFUSED ? refused.baseUrl() : faulty.baseUrl();
      List<BackendConfig> backends = new ArrayList<>();
      backends.add(Backends.azure(faultyId(model), url, c.fault().id(), Tier.PTU, 1, FAULTY_TIMEOUTS));
      if (c.pooled()) {
        backends.add(Backends.azure(healthyId(model), world.simUrl(), "payg", Tier.PAYG, 2));
      }
      pools.put(model, backends);
    }
    // Warms the gateway's paths to both backends up before the first case, whose timeouts a cold JVM would miss.
    pools.put(WARM_UP, List.of(
        Backends.azure("warm-up-faulty", faulty.baseUrl(), UpstreamFault.RATE_LIMITED.id(), Tier.PTU, 1),
        Backends.azure("warm-up-healthy", world.simUrl(), "payg", Tier.PAYG, 2)));
    SpillwayConfig config = Backends.config(pools).toBuilder()
        .routing(RoutingConfig.builder().breaker(ONE_STRIKE).build())
        .ledger(new LedgerConfig(Optional.of(ledger), Optional.empty(), dir.resolve("spill"), 10_000))
        .build();
    world.gateway(config);
    try {
      call(WARM_UP, false);
      call(WARM_UP, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final String WARM_UP = "warm-up";

  static String faultyId(String model) {
    return model + "-faulty";
  }

  static String healthyId(String model) {
    return model + "-healthy";
  }

  /**
   * What the client saw: status, the gateway's headers, the OpenAI error code of a JSON answer or of the SSE error event
   * a stream ended with, whether a stream ended with {@code [DONE]}, and how many content chunks it carried. Bodies are
   * read as they come and not kept (an enormous answer must not fill the test's heap).
   */
  record ClientView(int status, Optional<String> backend, Optional<String> errorCode, boolean done, long chunks, long bytes) {}

  ClientView call(String model, boolean stream) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(world.url("/v1/chat/completions")))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Http.chat(model, stream)))
        .build();
    HttpResponse<InputStream> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    Optional<String> backend = r.headers().firstValue("x-spillway-backend");
    StringBuilder head = new StringBuilder();
    Optional<String> error = Optional.empty();
    boolean done = false;
    long chunks = 0;
    long bytes = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8), 65_536)) {
      char[] buf = new char[65_536];
      if (!r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          bytes += n;
          if (head.length() < 65_536) {
            head.append(buf, 0, Math.min(n, 65_536 - head.length()));
          }
        }
        if (r.statusCode() >= 400) {
          error = Optional.of(Http.JSON.readTree(head.toString()).path("error").path("code").asText());
        }
      } else {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          bytes += line.length() + 1;
          if (line.startsWith("data: {\"error\"")) {
            error = Optional.of(Http.JSON.readTree(line.substring(6)).path("error").path("code").asText());
          } else if (line.equals("data: [DONE]")) {
            done = true;
          } else if (line.contains("chat.completion.chunk")) {
            chunks++;
          }
        }
      }
    } catch (IOException cut) {
      // The gateway closed the connection mid-body: what was read so far is the view.
    }
    return new ClientView(r.statusCode(), backend, error, done, chunks, bytes);
  }

  /** The finished request of {@code model} (each case sends exactly one). */
  RequestOutcome outcome(String model) throws InterruptedException {
    TestWorld.await("the request of " + model + " is finished",
        () -> world.listener.requests.stream().anyMatch(o -> o.model().orElse("").equals(model)));
    return world.listener.requests.stream().filter(o -> o.model().orElse("").equals(model)).findFirst().orElseThrow();
  }

  /** The faulty backend's entry in {@code GET /admin/backends}. */
  JsonNode adminView(String model) throws IOException, InterruptedException {
    JsonNode all = Http.json(Http.get(world.url("/admin/backends"))).path("backends");
    for (JsonNode b : all) {
      if (b.path("id").asText().equals(faultyId(model))) {
        return b;
      }
    }
    throw new AssertionError("no backend " + faultyId(model) + " in /admin/backends");
  }

  /** The request's row in the SQLite ledger: status, attempts, who broke it; waits for the writer's next batch. */
  record LedgerRow(int status, int attempts, String backend, Optional<String> interruptedBy) {}

  LedgerRow ledgerRow(String requestId) throws InterruptedException {
    List<LedgerRow> found = new ArrayList<>();
    TestWorld.await("the ledger has request " + requestId, () -> {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger);
          PreparedStatement s = c.prepareStatement("select status, attempts, backend, interrupted_by from usage where request_id = ?")) {
        s.setString(1, requestId);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            found.add(new LedgerRow(r.getInt(1), r.getInt(2), r.getString(3),
                Optional.ofNullable(r.getString(4)).filter(v -> !v.isEmpty())));
            return true;
          }
        }
        return false;
      } catch (SQLException notYet) {
        return false; // the table is created with the first batch
      }
    });
    return found.getFirst();
  }

  @Override
  public void close() {
    world.close();
    faulty.close();
    refused.close();
  }
}
