package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts simulators on loopback port 0 and talks to them over real HTTP/1.1. Not thread-safe. */
final class SimHarness implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "{\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
      + "{\"role\":\"user\",\"content\":\"Say something about rivers.\"}]}";

  final Vertx vertx = Vertx.vertx();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Simulator> started = new ArrayList<>();

  Simulator start(SimulatorConfig config) {
    return start(config, Ticker.systemTicker());
  }

  Simulator start(SimulatorConfig config, Ticker ticker) {
    Simulator sim = Simulator.start(vertx, config, ticker).await();
    started.add(sim);
    return sim;
  }

  /** A zero-latency config with the given deployments. */
  static SimulatorConfig fast(DeploymentConfig... deployments) {
    return SimulatorConfig.builder().zeroLatency(true).deployments(List.of(deployments)).build();
  }

  HttpResponse<String> post(Simulator sim, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  HttpResponse<String> get(Simulator sim, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /** The JSON payloads of an SSE body's {@code data:} events, with {@code [DONE]} kept as text. */
  static List<String> sseData(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.isBlank()) {
        continue;
      }
      if (!event.startsWith("data: ")) {
        throw new AssertionError("not an SSE data event: " + event);
      }
      data.add(event.substring("data: ".length()));
    }
    return data;
  }

  /** One SSE event with an {@code event:} name, as the Responses API sends them. */
  record NamedEvent(String event, JsonNode data) {}

  /** The events of a Responses API stream: each must be exactly an {@code event:} line and a {@code data:} line. */
  static List<NamedEvent> namedEvents(String body) {
    List<NamedEvent> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.isBlank()) {
        continue;
      }
      String[] lines = event.split("\n");
      if (lines.length != 2 || !lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
        throw new AssertionError("not an event: + data: pair: " + event);
      }
      events.add(new NamedEvent(lines[0].substring("event: ".length()), parse(lines[1].substring("data: ".length()))));
    }
    return events;
  }

  /**
   * A Responses API body for {@code model} with optional extra JSON fields: the instructions and input
   * of {@link #CHAT}, so that it counts the same input tokens as that chat request.
   */
  static String responses(String model, String... extraFields) {
    StringBuilder b = new StringBuilder("{\"model\":\"").append(model).append("\",");
    for (String f : extraFields) {
      b.append(f).append(',');
    }
    return b.append("\"instructions\":\"You are terse.\",\"input\":\"Say something about rivers.\"}").toString();
  }

  HttpResponse<String> delete(Simulator sim, String path) {
    return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10)).DELETE().build());
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** A chat body for {@code model} (null: none) with optional extra JSON fields, e.g. {@code "\"stream\":true"}. */
  static String chat(String model, String... extraFields) {
    StringBuilder b = new StringBuilder("{");
    if (model != null) {
      b.append("\"model\":\"").append(model).append("\",");
    }
    for (String f : extraFields) {
      b.append(f).append(',');
    }
    b.append("\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
        + "{\"role\":\"user\",\"content\":\"Say something about rivers.\"}]}");
    return b.toString();
  }

  /** Polls {@code condition} every few milliseconds for up to 5 s; for server-side effects with no event to wait on. */
  static void eventually(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    for (Simulator sim : started) {
      sim.close().await();
    }
    vertx.close().await();
  }
}
