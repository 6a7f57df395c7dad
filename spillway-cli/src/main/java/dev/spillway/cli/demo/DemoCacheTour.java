package dev.spillway.cli.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's look at the response cache, one request after the other at the start: a question (a miss, answered by a
 * backend and stored), the same question again (an exact hit), another phrasing of it (a semantic hit), and the
 * opposite question (whose words are close but whose meaning is not: the guard keeps it a miss). The summary prints
 * what the gateway said of each ({@code x-spillway-cache}, {@code x-spillway-cache-similarity}).
 */
public final class DemoCacheTour {
  /** The tour's questions, in order (none of them is in the demo's other traffic). */
  static final List<String> QUESTIONS = List.of(
      "How do I turn on automatic backups?",
      "How do I turn on automatic backups?",
      "How can I switch on automatic backups?",
      "How do I turn off automatic backups?");

  private final HttpClient client;
  private final String gatewayUrl;
  private final String apiKey;
  private final List<String> seen = new ArrayList<>();
  private volatile String problem = "";

  public DemoCacheTour(Vertx vertx, String gatewayUrl, String apiKey) {
    this.client = vertx.createHttpClient();
    this.gatewayUrl = gatewayUrl;
    this.apiKey = apiKey;
  }

  /** Asks the tour's questions one after the other; the future completes after the last answer. */
  public Future<Void> run() {
    Future<Void> chain = Future.succeededFuture();
    for (String q : QUESTIONS) {
      chain = chain.compose(v -> ask(q));
    }
    return chain.onFailure(e -> problem = String.valueOf(e.getMessage()));
  }

  private Future<Void> ask(String question) {
    JsonObject body = new JsonObject()
        .put("model", DemoSetup.CHAT_MODEL)
        .put("temperature", 0)
        .put("max_tokens", 80)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", TrafficGenerator.FAQ_SYSTEM))
            .add(new JsonObject().put("role", "user").put("content", question)));
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gatewayUrl + "/v1/chat/completions")
            .putHeader("api-key", apiKey).putHeader("content-type", "application/json"))
        .compose(req -> req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> {
          record(question, resp);
          return (Void) null;
        }));
  }

  private synchronized void record(String question, HttpClientResponse resp) {
    String cache = resp.getHeader("x-spillway-cache");
    String similarity = resp.getHeader("x-spillway-cache-similarity");
    seen.add("\"" + question + "\" -> " + resp.statusCode() + " " + (cache == null ? "(no cache header)" : cache)
        + (similarity == null ? "" : " (similarity " + similarity + ")"));
  }

  /** The summary lines: each question and what the cache said, or why the tour did not finish. */
  public synchronized String summary() {
    StringBuilder sb = new StringBuilder("Cache tour:");
    seen.forEach(line -> sb.append("\n  ").append(line));
    if (!problem.isEmpty()) {
      sb.append("\n  failed: ").append(problem);
    }
    return sb.toString();
  }

  public void close() {
    client.close();
  }
}
