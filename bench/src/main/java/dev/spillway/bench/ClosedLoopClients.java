package dev.spillway.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N closed-loop clients, one virtual thread each: a client sends a chat request, waits for the whole
 * answer, records it, and sends the next (after a short jittered pause when it was refused). Client
 * {@code i} talks to replica {@code i mod replicas}. Sending starts at a given wall-clock instant
 * (for minute alignment) and no request is sent at or after the end instant; requests in flight then
 * are followed to their answer.
 */
final class ClosedLoopClients implements AutoCloseable {
  private static final Pattern RESETS_AT = Pattern.compile("resets at (\\S+?Z)");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One request as a client saw it.
   *
   * @param replica index of the replica it was sent to
   * @param sentMillis wall clock just before sending
   * @param receivedMillis wall clock once the whole answer was read (or the failure seen)
   * @param status HTTP status; 0 for a transport failure
   * @param realTokens {@code usage.total_tokens} of a 200 answer; -1 when absent
   * @param consumedHeader {@code x-spillway-tokens-consumed}; -1 when absent
   * @param remainingTokens {@code x-ratelimit-remaining-tokens}: the limit minus the counter right
   *     after this request's reservation; -1 when absent
   * @param reservedTokens what the gateway reserved for it (its prompt by the gateway's tokenizer +
   *     {@code max_tokens} or the default)
   * @param windowEndMillis for a refusal, the end of the refusing window ("resets at"); -1 otherwise
   * @param errorKind for other failures, the status or exception name; null otherwise
   */
  record Sample(
      int replica,
      long sentMillis,
      long receivedMillis,
      int status,
      long realTokens,
      long consumedHeader,
      long remainingTokens,
      long reservedTokens,
      long windowEndMillis,
      String errorKind) {}

  private final HttpClient http;
  private final ExecutorService threads;
  private final List<Future<List<Sample>>> clients = new ArrayList<>();

  ClosedLoopClients() {
    this.threads = Executors.newVirtualThreadPerTaskExecutor();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(threads)
            .build();
  }

  /**
   * Starts {@code count} clients that send from {@code startMillis} until {@code endMillis} (wall
   * clock); returns at once.
   *
   * @param urls one chat-completions URL per replica
   */
  void start(
      List<String> urls,
      String apiKey,
      ChatRequestPool pool,
      int count,
      long seed,
      long startMillis,
      long endMillis,
      Duration pauseOn429) {
    for (int i = 0; i < count; i++) {
      int replica = i % urls.size();
      URI uri = URI.create(urls.get(replica));
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
      clients.add(
          threads.submit(() -> loop(replica, uri, apiKey, pool, random, startMillis, endMillis, pauseOn429)));
    }
  }

  /** Waits for every client to finish and returns all samples. */
  List<Sample> awaitSamples() throws InterruptedException {
    List<Sample> all = new ArrayList<>();
    for (Future<List<Sample>> f : clients) {
      try {
        all.addAll(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a client failed", e.getCause());
      }
    }
    return all;
  }

  private List<Sample> loop(
      int replica,
      URI uri,
      String apiKey,
      ChatRequestPool pool,
      SplittableRandom random,
      long startMillis,
      long endMillis,
      Duration pauseOn429)
      throws InterruptedException {
    List<Sample> samples = new ArrayList<>();
    sleepUntil(startMillis);
    long pauseMillis = pauseOn429.toMillis();
    while (true) {
      ChatRequestPool.ChatRequest chat = pool.pick(random);
      long sent = System.currentTimeMillis();
      if (sent >= endMillis) {
        return samples;
      }
      Sample sample = send(replica, uri, apiKey, chat, sent);
      samples.add(sample);
      if (sample.status() != 200 && pauseMillis > 0) {
        Thread.sleep(pauseMillis / 2 + random.nextLong(pauseMillis + 1));
      }
    }
  }

  private Sample send(int replica, URI uri, String apiKey, ChatRequestPool.ChatRequest chat, long sent) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("content-type", "application/json")
            .header("api-key", apiKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(chat.body()))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Sample(
          replica, sent, System.currentTimeMillis(), 0, -1, -1, -1, chat.reservedTokens(), -1, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sample(
          replica, sent, System.currentTimeMillis(), 0, -1, -1, -1, chat.reservedTokens(), -1, "InterruptedException");
    }
    long received = System.currentTimeMillis();
    int status = response.statusCode();
    long consumed = header(response, "x-spillway-tokens-consumed");
    long remaining = header(response, "x-ratelimit-remaining-tokens");
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (status == 200) {
      long real = -1;
      try {
        JsonObject usage = new JsonObject(text).getJsonObject("usage");
        if (usage != null && usage.getValue("total_tokens") instanceof Number n) {
          real = n.longValue();
        }
      } catch (RuntimeException e) {
        // a 200 without a JSON body: counted as an answer without usage
      }
      return new Sample(replica, sent, received, status, real, consumed, remaining, chat.reservedTokens(), -1, null);
    }
    if (status == 429) {
      long windowEnd = resetsAt(text).orElse(-1);
      return new Sample(replica, sent, received, status, -1, consumed, remaining, chat.reservedTokens(), windowEnd, null);
    }
    return new Sample(
        replica, sent, received, status, -1, consumed, remaining, chat.reservedTokens(), -1, Integer.toString(status));
  }

  /** The instant a refusal's message says the limit resets at. */
  static OptionalLong resetsAt(String errorBody) {
    Matcher m = RESETS_AT.matcher(errorBody);
    if (!m.find()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Instant.parse(m.group(1)).toEpochMilli());
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }

  private static long header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).map(v -> {
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        return -1L;
      }
    }).orElse(-1L);
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    while (true) {
      long left = epochMillis - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(left, 500));
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    http.close();
  }
}
