package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spillway serve} as an operator runs it, in its own process: SIGTERM drains (readiness turns 503, a stream in
 * flight finishes after the signal) and the process exits 0, not the 143 of a JVM killed by the signal; with no
 * {@code ledger:} in its config, usage is on record in the embedded ledger next to it for {@code spillway report}. A
 * second SIGTERM stops at once; SIGHUP reloads the config file.
 */
class ServeStopTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private final Vertx vertx = Vertx.vertx();
  private Process gateway;
  /** The gateway process's output after its listening line. */
  private final java.util.List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.destroyForcibly();
    }
    vertx.close().await();
  }

  @Test
  void sigtermLetsTheStreamInFlightFinishAndExitsZero(@TempDir Path dir) throws Exception {
    AtomicReference<HttpServerResponse> upstream = new AtomicReference<>();
    HttpServer backend = holdingBackend(upstream);
    Path config = dir.resolve("spillway.yaml");
    Files.writeString(config, """
        server:
          listen: 127.0.0.1:0
          drainDelay: 3s
          drainTimeout: 20s
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "http://127.0.0.1:%d", deployment: d, tier: payg }
        """.formatted(backend.actualPort()));
    String base = serve(config);
    CompletableFuture<HttpResponse<String>> stream = streamInFlight(base, upstream);

    // The signal is handled: readiness turns 503 while the listener still accepts (drainDelay).
    sigtermAndAwaitNotReady(base);
    // The drain has begun: the stream finishes in its drain time.
    upstream.get().end("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n");

    HttpResponse<String> answer = stream.get(15, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("data: [DONE]").doesNotContain("error");
    assertThat(gateway.waitFor(20, TimeUnit.SECONDS)).as("the gateway stopped").isTrue();
    assertThat(gateway.exitValue()).isZero();

    // The config has no ledger: section, so usage went to the embedded ledger next to it, and the report reads it.
    assertThat(dir.resolve("spillway-usage.db")).isRegularFile();
    java.io.StringWriter report = new java.io.StringWriter();
    picocli.CommandLine cli = SpillwayCli.commandLine();
    cli.setOut(new java.io.PrintWriter(report, true));
    int exit = cli.execute("report", "--config", config.toString(), "--by", "model", "--format", "json");
    assertThat(exit).isZero();
    com.fasterxml.jackson.databind.JsonNode totals =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toString()).get("totals");
    assertThat(totals.get("requests").asLong()).as("the streamed request, booked at the stop").isEqualTo(1);
  }

  @Test
  void aSecondSigtermStopsAtOnceWithoutWaitingForTheDrain(@TempDir Path dir) throws Exception {
    AtomicReference<HttpServerResponse> upstream = new AtomicReference<>();
    HttpServer backend = holdingBackend(upstream);
    Path config = dir.resolve("spillway.yaml");
    Files.writeString(config, """
        server:
          listen: 127.0.0.1:0
          drainDelay: 1s
          drainTimeout: 10m
        ledger: off
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "http://127.0.0.1:%d", deployment: d, tier: payg }
        """.formatted(backend.actualPort()));
    String base = serve(config);
    streamInFlight(base, upstream);

    sigtermAndAwaitNotReady(base); // the drain would wait up to 10 minutes for the stream
    gateway.destroy(); // the second SIGTERM
    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("stopped long before the drain time").isTrue();
  }

  @Test
  void sigtermWithFiftyStreamsInFlightFinishesEveryOneWithinTheDrainTimeAndBooksThemAll(@TempDir Path dir)
      throws Exception {
    java.util.Queue<HttpServerResponse> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
    HttpServer backend = vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
          resp.write(chunk(0));
          held.add(resp);
        }))
        .listen(0, "127.0.0.1").await();
    Path config = dir.resolve("spillway.yaml");
    Files.writeString(config, """
        server:
          listen: 127.0.0.1:0
          drainDelay: 1s
          drainTimeout: 15s
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "http://127.0.0.1:%d", deployment: d, tier: payg }
        """.formatted(backend.actualPort()));
    String base = serve(config);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    java.util.List<CompletableFuture<HttpResponse<String>>> streams = new java.util.ArrayList<>();
    java.util.Map<Integer, Long> finishedAt = new java.util.concurrent.ConcurrentHashMap<>();
    for (int i = 0; i < 50; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build();
      int n = i;
      streams.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> finishedAt.put(n, System.nanoTime())));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (held.size() < 50) {
      assertThat(System.nanoTime()).as("50 streams reached the backend (%d did)", held.size()).isLessThan(deadline);
      Thread.sleep(10);
    }

    long signalled = System.nanoTime();
    sigtermAndAwaitNotReady(base);
    // The drain has begun: every stream goes on for about 2 s, a chunk every 200 ms, then ends.
    for (int k = 1; k <= 10; k++) {
      Thread.sleep(200);
      String next = chunk(k);
      held.forEach(resp -> resp.write(next));
    }
    held.forEach(resp -> resp.end("data: [DONE]\n\n"));

    long drainEnds = signalled + TimeUnit.SECONDS.toNanos(15);
    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      HttpResponse<String> answer = stream.get(Math.max(1, drainEnds - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).as("the whole stream").doesNotContain("error").endsWith("data: [DONE]\n\n");
      for (int k = 0; k <= 10; k++) {
        assertThat(answer.body()).contains("\"content\":\"tok" + k + " \"");
      }
    }
    assertThat(finishedAt.values()).as("every stream finished within the drain time")
        .allSatisfy(t -> assertThat(t).isLessThan(drainEnds));
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway stopped").isTrue();
    assertThat(gateway.exitValue()).isZero();
    System.out.printf("ServeStopTest: 50 streams finished %d ms after SIGTERM at the latest; the process exited%n",
        (finishedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() - signalled) / 1_000_000);

    java.io.StringWriter report = new java.io.StringWriter();
    picocli.CommandLine cli = SpillwayCli.commandLine();
    cli.setOut(new java.io.PrintWriter(report, true));
    assertThat(cli.execute("report", "--config", config.toString(), "--by", "model", "--format", "json")).isZero();
    com.fasterxml.jackson.databind.JsonNode totals =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toString()).get("totals");
    assertThat(totals.get("requests").asLong()).as("every stream in the ledger").isEqualTo(50);
  }

  private static String chunk(int k) {
    return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + k + " \"}}]}\n\n";
  }

  /** A backend that opens a stream and holds it: the test ends it through the response it keeps. */
  private HttpServer holdingBackend(AtomicReference<HttpServerResponse> upstream) {
    return vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
          resp.write(": open\n\n");
          upstream.set(resp);
        }))
        .listen(0, "127.0.0.1").await();
  }

  /** Starts {@code spillway serve -c config} in its own process; returns its base URL once it listens. */
  private String serve(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SpillwayCli.class.getName(),
        "serve", "-c", config.toString())
        .redirectErrorStream(true)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    String base = null;
    for (String line; base == null && (line = out.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        base = m.group(1);
      }
    }
    assertThat(base).as("the gateway started").isNotNull();
    Thread.ofVirtual().start(() -> {
      try {
        out.lines().forEach(output::add);
      } catch (java.io.UncheckedIOException closed) {
        // the process was destroyed while its output was being read: nothing more to read
      }
    });
    return base;
  }

  /** Sends a streamed chat and waits until it has reached the backend. */
  private static CompletableFuture<HttpResponse<String>> streamInFlight(String base,
      AtomicReference<HttpServerResponse> upstream) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
    CompletableFuture<HttpResponse<String>> stream =
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (upstream.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(upstream.get()).as("the stream reached the backend").isNotNull();
    return stream;
  }

  /** Sends SIGTERM and waits until readiness answers 503 (the signal was handled, the drain has begun). */
  private void sigtermAndAwaitNotReady(String base) throws Exception {
    gateway.destroy();
    HttpClient probe = HttpClient.newHttpClient();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create(base + "/readyz")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (probe.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() != 503) {
      assertThat(System.nanoTime()).as("readiness turns 503").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void sighupReloadsTheConfigFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("spillway.yaml");
    String yaml = """
        server:
          listen: 127.0.0.1:0
        ledger: off
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "http://127.0.0.1:9", deployment: d, tier: payg }
        """;
    Files.writeString(config, yaml);
    String base = serve(config);

    Files.writeString(config, yaml + """
          gpt-4o-mini:
            backends:
              - { id: mini, url: "http://127.0.0.1:9", deployment: m, tier: payg }
        """);
    Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start();
    assertThat(hup.waitFor()).isZero();

    HttpClient client = HttpClient.newHttpClient();
    HttpRequest models = HttpRequest.newBuilder(URI.create(base + "/v1/models")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!client.send(models, HttpResponse.BodyHandlers.ofString()).body().contains("gpt-4o-mini")
        || output.stream().noneMatch(l -> l.contains("trigger=signal"))) {
      assertThat(System.nanoTime()).as("the signal reloads the file: " + output).isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(gateway.isAlive()).as("SIGHUP does not stop the gateway").isTrue();
  }
}
