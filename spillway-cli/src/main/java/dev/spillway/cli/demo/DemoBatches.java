package dev.spillway.cli.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's batch job, as an application would run one through the gateway: a JSON Lines file of chat requests naming
 * the logical model is uploaded ({@code POST /v1/files}, purpose {@code batch}: the gateway picks the backend and
 * renames the model in every line), a batch created from it, polled until it completes, and its output read — which is
 * when the gateway books the batch's tokens ({@code batches.output} in the ledger and on the dashboard).
 */
public final class DemoBatches {
  private static final String BOUNDARY = "----spillway-demo-batch";

  private final Vertx vertx;
  private final HttpClient client;
  private final String gatewayUrl;
  private final String apiKey;
  private final String model;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicReference<String> problem = new AtomicReference<>("");

  public DemoBatches(Vertx vertx, String gatewayUrl, String apiKey, String model) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
    this.gatewayUrl = gatewayUrl;
    this.apiKey = apiKey;
    this.model = model;
  }

  /** Runs one batch of {@code lines} requests; the future completes when its output has been read. */
  public Future<Void> run(int lines) {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      file.append(new JsonObject().put("custom_id", "demo-" + i).put("method", "POST").put("url", "/v1/chat/completions")
          .put("body", new JsonObject().put("model", model).put("max_tokens", 24).put("messages", new JsonArray()
              .add(new JsonObject().put("role", "user").put("content", "Summarise ticket " + i + " in one line.")))))
          .append('\n');
    }
    Buffer form = Buffer.buffer()
        .appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n")
        .appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tickets.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n")
        .appendString(file.toString())
        .appendString("\r\n--" + BOUNDARY + "--\r\n");
    return call(HttpMethod.POST, "/v1/files", "multipart/form-data; boundary=" + BOUNDARY, form)
        .compose(uploaded -> call(HttpMethod.POST, "/v1/batches", "application/json", new JsonObject()
            .put("input_file_id", uploaded.toJsonObject().getString("id"))
            .put("endpoint", "/v1/chat/completions").put("completion_window", "24h").toBuffer()))
        .compose(created -> poll(created.toJsonObject().getString("id"), 30))
        .compose(done -> call(HttpMethod.GET, "/v1/files/" + done.getString("output_file_id") + "/content", null, null))
        .map(output -> {
          for (String line : output.toString().split("\n")) {
            if (!line.isBlank()) {
              requests.incrementAndGet();
              tokens.addAndGet(new JsonObject(line).getJsonObject("response").getJsonObject("body")
                  .getJsonObject("usage").getLong("total_tokens", 0L));
            }
          }
          return (Void) null;
        })
        .onFailure(e -> problem.set(e.getMessage()));
  }

  private Future<JsonObject> poll(String id, int triesLeft) {
    return call(HttpMethod.GET, "/v1/batches/" + id, null, null).compose(b -> {
      JsonObject batch = b.toJsonObject();
      if ("completed".equals(batch.getString("status"))) {
        return Future.succeededFuture(batch);
      }
      if (triesLeft <= 0) {
        return Future.failedFuture("the batch is still " + batch.getString("status"));
      }
      return vertx.timer(1000).compose(v -> poll(id, triesLeft - 1));
    });
  }

  private Future<Buffer> call(HttpMethod method, String path, String contentType, Buffer body) {
    return client.request(new RequestOptions().setMethod(method).setAbsoluteURI(gatewayUrl + path)
            .putHeader("api-key", apiKey))
        .compose(request -> {
          if (contentType != null) {
            request.putHeader("content-type", contentType);
          }
          return body == null ? request.send() : request.send(body);
        })
        .compose(response -> response.body().compose(b -> response.statusCode() == 200
            ? Future.succeededFuture(b)
            : Future.failedFuture(method + " " + path + ": " + response.statusCode() + " " + b)));
  }

  /** The summary line: what ran and what was booked, or why it did not. */
  public String summary() {
    if (!problem.get().isEmpty()) {
      return "Batch job: failed (" + problem.get() + ")";
    }
    return "Batch job: " + requests.get() + " requests run as one batch on the backend holding its file; "
        + tokens.get() + " tokens booked as batches.output when its output was read";
  }

  public void close() {
    client.close();
  }
}
