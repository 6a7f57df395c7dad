package dev.spillway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code spillway serve --config FILE} in its own process, on the test's classpath, as an operator runs it: its
 * output goes to {@code target/serve-logs/NAME.log} (kept for a look after a failure), and {@link #start} returns once
 * it logs the address it listens on. {@link #chat} and {@link #send} talk to it over HTTP/1.1.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final Process process;
  final String baseUrl;
  final Path log;

  private ServeProcess(Process process, String baseUrl, Path log) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
  }

  /** Starts the gateway on {@code config}; fails when it has not listened within a minute (a loaded machine). */
  static ServeProcess start(Path config, String name) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", classpath, SpillwayCli.class.getName(), "serve", "--config", config.toString()))
        .redirectErrorStream(true)
        .start();
    Path logs = Path.of("target", "serve-logs");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    Files.deleteIfExists(log);
    CompletableFuture<String> listening = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            listening.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
      listening.completeExceptionally(new IllegalStateException("the gateway exited; see " + log.toAbsolutePath()));
    });
    try {
      return new ServeProcess(p, listening.get(60, TimeUnit.SECONDS), log);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** A chat completion of {@code maxTokens} tokens with gateway key {@code key}; the whole answer, also a stream. */
  HttpResponse<String> chat(String model, int maxTokens, String key, boolean stream) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    return send("POST", "/v1/chat/completions", body, key);
  }

  /** Any request with {@code api-key: key} (the admin key for {@code /admin}); a null body sends none. */
  HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(20))
        .header("api-key", key)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL: the process gets no chance to finish anything. Waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the gateway drains and stops. */
  void terminate() {
    process.destroy();
  }

  /** What the gateway logged so far. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
