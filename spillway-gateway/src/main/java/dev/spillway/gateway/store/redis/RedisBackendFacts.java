package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.BackendFact;
import dev.spillway.core.routing.SharedBackendFacts;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@link SharedBackendFacts} in Redis. A backend's throttle is a key {@code {prefix}throttle:{backend}} (its shared
 * name: id and deployment fingerprint) holding its end (epoch ms) and expiring then; an auth hold likewise a key
 * {@code {prefix}unauthorized:{backend}} (its auth name, which adds a fingerprint of the credential settings, never a
 * secret). Publishing runs one script that
 * writes the key only when the new end is later than the one held (a throttle is only ever extended) and, when it
 * wrote, announces the fact on the channel {@code {prefix}facts} ({@link BackendFactMessages}; this instance's own
 * messages are not handed back to it).
 *
 * <p><b>The subscription</b> holds a connection of its own. Once Redis confirms it, every throttle key is read ({@code
 * SCAN} and {@code MGET}, a page at a time) and handed to the listener, so a replica that starts late, or comes back
 * after losing Redis, learns what still holds. A subscription that breaks, or hears nothing (not even the heartbeat
 * each replica publishes every {@code heartbeatInterval}) for three intervals, is renewed every {@code probeInterval}
 * until one holds.
 *
 * <p><b>When Redis is out</b> facts are not shared meanwhile: after a failure {@link #publish} does not try Redis for
 * the probe interval, and the replica that learned a throttle keeps it in its own state; routing never waits on Redis.
 * Facts Redis did not take are kept (the latest per backend) and published once it answers again, those that still
 * hold. An outage and its end are one info line each (no key, no password): this Redis is the limit store's ({@code
 * limits.redisUrl}), whose own outage warning already tells the operator, and routing is not degraded beyond "each
 * replica learns for itself".
 *
 * <p>Thread-safe. The listener is called from a Vert.x event loop, one fact at a time; it must not block.
 */
public final class RedisBackendFacts implements SharedBackendFacts {
  private static final Logger LOG = System.getLogger("spillway.routing.redis");

  /** KEYS[1] the backend's key; ARGV: end ms, time to live ms, channel, message. Returns 1 when it extended. */
  static final LuaScript EXTEND = new LuaScript("extend-throttle", """
      local held = tonumber(redis.call('GET', KEYS[1]))
      if held and held >= tonumber(ARGV[1]) then
        return 0
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      redis.call('PUBLISH', ARGV[3], ARGV[4])
      return 1
      """);

  private final Vertx vertx;
  private final RedisBackendFactsOptions options;
  private final Consumer<BackendFact> listener;
  private final Clock clock;
  private final Ticker ticker;
  private final Redis commands;
  private final BackendFactMessages messages = new BackendFactMessages();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicReference<Subscription> subscription = new AtomicReference<>();
  private final AtomicBoolean out = new AtomicBoolean();
  /** Facts learned while Redis was out, by backend: published once it answers (only-extend makes a late one harmless). */
  private final Map<String, BackendFact> unsent = new ConcurrentHashMap<>();
  private final long heartbeatTimer;
  private volatile long failedAtNanos;
  private volatile long heardNanos;
  private volatile boolean closed;

  /** One attempt at subscribing: its own client (closed with it) and, once connected, its connection. */
  private record Subscription(long generation, Redis client, RedisConnection connection) {}

  private RedisBackendFacts(
      Vertx vertx, RedisBackendFactsOptions options, Consumer<BackendFact> listener, Clock clock, Ticker ticker) {
    this.vertx = vertx;
    this.options = options;
    this.listener = listener;
    this.clock = clock;
    this.ticker = ticker;
    this.commands = Redis.createClient(vertx, RedisCalls.clientOptions(options.connectionString(), 4,
        options.commandTimeout()));
    this.heartbeatTimer = vertx.setPeriodic(options.heartbeatInterval().toMillis(), t -> beat());
  }

  /**
   * Joins: subscribes in the background (this returns at once) and hands {@code listener} every fact that holds, then
   * every fact other replicas publish. Close it to leave.
   *
   * @param clock wall clock: a key's time to live is its end less now
   * @param ticker measures the probe interval and the subscription's silence
   */
  public static RedisBackendFacts join(
      Vertx vertx, RedisBackendFactsOptions options, Consumer<BackendFact> listener, Clock clock, Ticker ticker) {
    RedisBackendFacts facts = new RedisBackendFacts(Objects.requireNonNull(vertx, "vertx"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(listener, "listener"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(ticker, "ticker"));
    facts.subscribe();
    return facts;
  }

  @Override
  public void publish(BackendFact fact) {
    long ttlMillis = fact.untilEpochMillis() - clock.millis();
    if (closed || ttlMillis < 1) {
      return;
    }
    if (skipping()) {
      keep(fact);
      return;
    }
    String message = messages.fact(fact);
    EXTEND.eval(commands, List.of(options.factKey(fact.kind(), fact.backend())),
            List.of(Long.toString(fact.untilEpochMillis()), Long.toString(ttlMillis), options.channel(), message))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            answered();
          } else {
            keep(fact);
            failed("publish", done.cause());
          }
        });
  }

  /** A fact Redis did not take: kept (the latest end per backend and kind) until Redis answers again. */
  private void keep(BackendFact fact) {
    unsent.merge(unsentKey(fact), fact, (held, next) -> next.untilEpochMillis() > held.untilEpochMillis() ? next : held);
  }

  private static String unsentKey(BackendFact fact) {
    return fact.kind() + " " + fact.backend();
  }

  /** Publishes the facts Redis did not take while it was out, those that still hold. */
  private void sendUnsent() {
    for (BackendFact fact : List.copyOf(unsent.values())) {
      if (unsent.remove(unsentKey(fact), fact)) {
        publish(fact);
      }
    }
  }

  // ---- the subscription ----------------------------------------------------------------------------

  private void subscribe() {
    if (closed) {
      return;
    }
    long gen = generation.incrementAndGet();
    Redis client = Redis.createClient(vertx, RedisCalls.clientOptions(options.connectionString(), 1,
        options.commandTimeout()));
    Subscription connecting = new Subscription(gen, client, null);
    subscription.set(connecting);
    io.vertx.core.Future<RedisConnection> connect = client.connect();
    connect.timeout(subscribeTimeoutMillis(), TimeUnit.MILLISECONDS).onComplete(connected -> {
      if (connected.failed()) {
        // Given up on: a connection that still arrives is closed quietly.
        connect.onSuccess(late -> {
          late.exceptionHandler(e -> { });
          late.close();
        });
        lose(gen, "subscribe", connected.cause());
        return;
      }
      RedisConnection c = connected.result();
      if (closed || !subscription.compareAndSet(connecting, new Subscription(gen, client, c))) {
        client.close();
        return;
      }
      heardNanos = ticker.read();
      c.exceptionHandler(e -> lose(gen, "subscription", e));
      c.endHandler(v -> lose(gen, "subscription", new IOException("Redis closed the connection")));
      c.handler(message -> heard(gen, message));
      // A pub/sub command completes once written; Redis's confirmation arrives as a message (see heard).
      c.send(Request.cmd(Command.SUBSCRIBE).arg(options.channel())).onFailure(e -> lose(gen, "subscribe", e));
    });
  }

  /**
   * How long a subscription may take to connect: the command timeout, but at least 2 s. A subscription is made once
   * per start or outage, not per request, and its first connection (the client's handshake, cold code) can take longer
   * than a command on a loaded machine.
   */
  private long subscribeTimeoutMillis() {
    return Math.max(2_000, options.commandTimeout().toMillis());
  }

  private void heard(long gen, Response message) {
    if (gen != generation.get() || message == null || message.size() < 3) {
      return;
    }
    heardNanos = ticker.read();
    String kind = message.get(0).toString();
    if (kind.equals("subscribe")) {
      load(gen);
    } else if (kind.equals("message")) {
      messages.othersFact(message.get(2).toString()).ifPresent(listener);
    }
  }

  /** Reads every fact key (throttles, then auth holds) and hands the listener those that still hold. */
  private void load(long gen) {
    io.vertx.core.Future<Long> loading = io.vertx.core.Future.succeededFuture(0L);
    for (BackendFact.Kind kind : BackendFact.Kind.values()) {
      loading = loading.compose(n -> loadKind(gen, kind).map(m -> n + m));
    }
    loading.onComplete(loaded -> {
      if (gen != generation.get()) {
        return;
      }
      if (loaded.failed()) {
        lose(gen, "load", loaded.cause());
      } else {
        answered();
        sendUnsent();
      }
    });
  }

  private io.vertx.core.Future<Long> loadKind(long gen, BackendFact.Kind kind) {
    long timeout = options.commandTimeout().toMillis();
    String keyPrefix = options.factPrefix(kind);
    int prefix = keyPrefix.length();
    return RedisKeyScan.eachPage(commands, keyPrefix, timeout, keys -> {
      Request mget = Request.cmd(Command.MGET);
      keys.forEach(mget::arg);
      return RedisCalls.send(commands, mget).timeout(timeout, TimeUnit.MILLISECONDS).map(values -> {
        long n = 0;
        for (int i = 0; i < keys.size(); i++) {
          Response value = values.get(i);
          if (value == null || gen != generation.get()) {
            continue;
          }
          try {
            listener.accept(new BackendFact(keys.get(i).substring(prefix), kind, Long.parseLong(value.toString())));
            n++;
          } catch (IllegalArgumentException damaged) {
            // not a number: not written by this class; left alone
          }
        }
        return n;
      });
    });
  }

  /** Publishes a heartbeat; renews a subscription that heard nothing for three intervals. */
  private void beat() {
    Subscription s = subscription.get();
    if (closed || s == null || s.connection() == null) {
      return;
    }
    long silentNanos = ticker.read() - heardNanos;
    if (silentNanos > 3 * options.heartbeatInterval().toNanos()) {
      lose(s.generation(), "subscription",
          new TimeoutException("nothing heard on the channel for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms"));
      return;
    }
    RedisCalls.send(commands, Request.cmd(Command.PUBLISH).arg(options.channel()).arg(messages.heartbeat()))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            answered();
          } else if (!closed) {
            failed("heartbeat", done.cause());
          }
        });
  }

  /** Ends subscription {@code gen} (once) and tries again after the probe interval. */
  private void lose(long gen, String operation, Throwable cause) {
    if (!generation.compareAndSet(gen, gen + 1)) {
      return; // already lost, or superseded
    }
    Subscription s = subscription.getAndSet(null);
    if (s != null) {
      s.client().close();
    }
    if (closed) {
      return;
    }
    failed(operation, cause);
    vertx.setTimer(Math.max(100, options.probeInterval().toMillis()), id -> subscribe());
  }

  // ---- the outage ----------------------------------------------------------------------------------

  private boolean skipping() {
    return out.get() && ticker.read() - failedAtNanos < options.probeInterval().toNanos();
  }

  private void answered() {
    if (out.compareAndSet(true, false)) {
      LOG.log(Level.INFO, "routing: Redis at {0} answers again; backend throttles are shared again",
          options.endpoint());
      sendUnsent();
    }
  }

  private void failed(String operation, Throwable cause) {
    failedAtNanos = ticker.read();
    if (out.compareAndSet(false, true)) {
      LOG.log(Level.INFO, "routing: Redis at {0} failed on {1} ({2}); backend throttles stay on this replica"
          + " until it answers", options.endpoint(), operation, RedisCalls.describe(cause));
    }
  }

  /** True while a subscription is connected (it may still be loading). */
  public boolean subscribed() {
    Subscription s = subscription.get();
    return s != null && s.connection() != null;
  }

  /** True from a failed call until the next one that answers. */
  public boolean out() {
    return out.get();
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(heartbeatTimer);
    lose(generation.get(), "close", new IOException("closed"));
    commands.close();
  }

  @Override
  public String toString() {
    return "RedisBackendFacts[" + options.endpoint() + ", " + options.keyPrefix() + (subscribed() ? "" : ", down") + "]";
  }
}
