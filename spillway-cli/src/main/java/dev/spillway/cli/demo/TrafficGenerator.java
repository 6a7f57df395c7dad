package dev.spillway.cli.demo;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Drives the demo's traffic through the gateway the way a mix of applications would: chat (some
 * streamed, some asking for usage in the stream), embeddings and the Responses API (some streamed, some continued with
 * previous_response_id), across all three URL shapes, at a
 * rate that follows a profile (low, overload, low) so spillover and recovery both show.
 */
public final class TrafficGenerator {
  /** Percent of the requests sent with the batch consumer's key, when there is one. */
  public static final int BATCH_SHARE_PERCENT = 20;

  private static final String[] WORDS = {
    "capacity", "region", "invoice", "summary", "customer", "policy", "deployment", "latency", "forecast",
    "contract", "quarter", "storage", "network", "report", "budget", "feature", "release", "incident"
  };

  private final Vertx vertx;
  private final HttpClient client;
  private final String gatewayUrl;
  private final String apiKey;
  private final DoubleSupplier ratePerSecond;
  private final Optional<String> batchKey;
  private final AtomicLong inFlight = new AtomicLong();
  private long lastTickNanos;
  private final Random random;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong maxTokensSet = new AtomicLong();
  private final AtomicLong exactHits = new AtomicLong();
  private final AtomicLong semanticHits = new AtomicLong();
  private final AtomicLong cacheable = new AtomicLong();

  /** The system message of the frequent questions. */
  static final String FAQ_SYSTEM = "You are the help desk of Contoso.";

  /** A help desk's frequent questions, each in a few phrasings (the demo's cacheable traffic). */
  static final String[][] FAQ = {
    {"How do I reset my password?", "How can I reset my password?", "how do i reset my password"},
    {"What is your refund policy?", "What's your refund policy?", "Can you tell me your refund policy?"},
    {"How do I enable two-factor authentication?", "How can I turn on two-factor authentication?"},
    {"How do I disable two-factor authentication?", "How can I turn off two-factor authentication?"},
    {"What are your opening hours?", "What are your business hours?", "When are you open?"},
    {"How do I change my billing address?", "How can I update my billing address?"},
    {"Where can I download my invoices?", "Where do I download my invoices?"},
    {"How do I cancel my subscription?", "How can I cancel my subscription?"},
  };
  private static final String MAX_TOKENS_APPLIED = "x-spillway-max-tokens-applied";
  private long timer = -1;
  private double owed;
  private int sequence;

  /**
   * @param apiKey the demo consumer's gateway key
   * @param ratePerSecond requests per second wanted right now; read every 100 ms
   * @param batchKey when present, about one request in {@link #BATCH_SHARE_PERCENT} hundred is sent with this key
   *     (the demo's rate-limited batch consumer), the rest with {@code apiKey}
   */
  public TrafficGenerator(
      Vertx vertx, String gatewayUrl, String apiKey, Optional<String> batchKey, DoubleSupplier ratePerSecond, long seed) {
    this.vertx = vertx;
    this.gatewayUrl = gatewayUrl;
    this.apiKey = apiKey;
    this.batchKey = batchKey;
    this.ratePerSecond = ratePerSecond;
    this.random = new Random(seed);
    this.client =
        vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
  }

  /** Responses whose output limit the gateway set (a default given, or a cap applied). */
  public long maxTokensSet() {
    return maxTokensSet.get();
  }

  public void start() {
    lastTickNanos = System.nanoTime();
    timer = vertx.setPeriodic(100, id -> tick());
  }

  /** Stops sending; requests already sent go on (see {@link #awaitInFlight}). */
  public void stopSending() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * Waits (blocking; not on an event loop) until every request sent has its answer, or {@code timeout} passes.
   *
   * @return true when nothing is in flight any more
   */
  public boolean awaitInFlight(java.time.Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() - until < 0) {
      Thread.sleep(50);
    }
    return inFlight.get() == 0;
  }

  public long inFlight() {
    return inFlight.get();
  }

  public void stop() {
    stopSending();
    client.close();
  }

  public long sent() {
    return sent.get();
  }

  /**
   * Owes requests for the time that really passed since the last tick, so the offered rate holds when timers fire
   * late on a busy machine (at most one second is made up at once).
   */
  private void tick() {
    long now = System.nanoTime();
    double seconds = Math.min(1.0, (now - lastTickNanos) / 1e9);
    lastTickNanos = now;
    owed += ratePerSecond.getAsDouble() * seconds;
    while (owed >= 1) {
      owed -= 1;
      sendOne();
    }
  }

  private void sendOne() {
    int n = sequence++;
    int kind = random.nextInt(100);
    if (kind >= 85) {
      sendResponse(Optional.empty());
      return;
    }
    // Frequent questions take half of what embeddings had, so the chat load on the PTU is what it was without them.
    if (kind >= 8 && kind < 15) {
      sendQuestion();
      return;
    }
    // End users of the demo's app, one of them abusive: the content guard's share.
    if (kind >= 15 && kind < 19) {
      send("/v1/chat/completions", DemoSafetyPrompts.body(random, DemoSetup.CHAT_MODEL), apiKey);
      return;
    }
    boolean embeddings = kind < 8;
    String path;
    JsonObject body;
    if (embeddings) {
      path = "/v1/embeddings";
      body = new JsonObject().put("model", DemoSetup.EMBEDDINGS_MODEL).put("input", words(20 + random.nextInt(80)));
    } else {
      body =
          new JsonObject()
              .put(
                  "messages",
                  new JsonArray()
                      .add(new JsonObject().put("role", "system").put("content", "You are a concise analyst."))
                      .add(new JsonObject().put("role", "user").put("content", words(120 + random.nextInt(260)))))
              .put("max_tokens", 60 + random.nextInt(200));
      if (random.nextInt(5) == 0) {
        body.remove("max_tokens"); // no output limit: the gateway's maxTokens default applies
      }
      int streamKind = random.nextInt(10);
      if (streamKind < 3) {
        body.put("stream", true);
        if (streamKind == 0) {
          body.put("stream_options", new JsonObject().put("include_usage", true));
        }
      }
      switch (n % 3) {
        case 0 -> {
          path = "/v1/chat/completions";
          body.put("model", DemoSetup.CHAT_MODEL);
        }
        case 1 -> path = "/openai/deployments/" + DemoSetup.CHAT_MODEL + "/chat/completions?api-version=2024-10-21";
        default -> {
          path = "/openai/v1/chat/completions";
          body.put("model", DemoSetup.CHAT_MODEL);
        }
      }
    }
    send(path, body, batchKey.isPresent() && random.nextInt(100) < BATCH_SHARE_PERCENT ? batchKey.get() : apiKey);
  }

  /** Sends {@code body} to {@code path} with {@code key}, counting it; notes when the gateway set the output limit. */
  private void send(String path, JsonObject body, String key) {
    sent.incrementAndGet();
    inFlight.incrementAndGet();
    Buffer payload = body.toBuffer();
    client
        .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gatewayUrl + path))
        .compose(
            req -> {
              req.putHeader("content-type", "application/json");
              req.putHeader("api-key", key);
              // Read the body in send()'s own callback, before the response can end unseen.
              return req.send(payload).compose(resp -> {
                if (resp.getHeader(MAX_TOKENS_APPLIED) != null) {
                  maxTokensSet.incrementAndGet();
                }
                return resp.body();
              });
            })
        .onComplete(ar -> inFlight.decrementAndGet());
  }

  /**
   * One of a help desk's frequent questions, at temperature 0 (cacheable), in one of its phrasings: the first asking
   * of a phrasing is a miss, a repeat is an exact hit, another phrasing of a question already answered can be a
   * semantic hit. Counts what the cache said ({@code x-spillway-cache}).
   */
  private void sendQuestion() {
    String[] phrasings = FAQ[random.nextInt(FAQ.length)];
    String question = phrasings[random.nextInt(phrasings.length)];
    JsonObject body = new JsonObject()
        .put("model", DemoSetup.CHAT_MODEL)
        .put("temperature", 0)
        .put("max_tokens", 80)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", FAQ_SYSTEM))
            .add(new JsonObject().put("role", "user").put("content", question)));
    if (random.nextInt(3) == 0) {
      body.put("stream", true);
    }
    sent.incrementAndGet();
    inFlight.incrementAndGet();
    client
        .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gatewayUrl + "/v1/chat/completions"))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          req.putHeader("api-key", apiKey);
          return req.send(body.toBuffer()).compose(resp -> {
            String cache = resp.getHeader("x-spillway-cache");
            if ("HIT".equals(cache)) {
              exactHits.incrementAndGet();
            } else if ("SEMANTIC_HIT".equals(cache)) {
              semanticHits.incrementAndGet();
            }
            cacheable.incrementAndGet();
            return resp.body();
          });
        })
        .onComplete(ar -> inFlight.decrementAndGet());
  }

  /** Answers of the frequent questions: from the exact layer, from the semantic layer, and all of them sent. */
  public long exactHits() {
    return exactHits.get();
  }

  public long semanticHits() {
    return semanticHits.get();
  }

  public long cacheable() {
    return cacheable.get();
  }

  /**
   * A Responses API call (about every seventh request), streamed one time in three; half the answered ones are continued
   * with {@code previous_response_id}, which the gateway sends to the backend that holds the first.
   */
  private void sendResponse(Optional<String> previous) {
    JsonObject body = new JsonObject()
        .put("model", DemoSetup.CHAT_MODEL)
        .put("instructions", "You are a concise analyst.")
        .put("input", words(80 + random.nextInt(200)))
        .put("max_output_tokens", 40 + random.nextInt(160));
    previous.ifPresent(id -> body.put("previous_response_id", id));
    boolean stream = previous.isEmpty() && random.nextInt(3) == 0;
    if (stream) {
      body.put("stream", true);
    }
    sent.incrementAndGet();
    inFlight.incrementAndGet();
    client
        .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gatewayUrl + "/v1/responses"))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          req.putHeader("api-key", apiKey);
          return req.send(body.toBuffer()).compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b : null));
        })
        .onComplete(ar -> {
          inFlight.decrementAndGet();
          if (ar.succeeded() && ar.result() != null && !stream && previous.isEmpty() && random.nextBoolean()
              && timer >= 0) {
            String id = new JsonObject(ar.result()).getString("id", "");
            if (!id.isEmpty()) {
              sendResponse(Optional.of(id));
            }
          }
        });
  }

  private String words(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }
}
