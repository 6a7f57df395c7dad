package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheUnavailableException;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The semantic layer's entries shared through Redis, so that every replica's own index holds every replica's entries.
 * Each entry is a key {@code {prefix}s:{id}} holding {@link CacheEntryCodec#encodeEntry its bytes} (question, vector,
 * answer) with the answer's expiry; storing one also announces it on the channel {@code {prefix}events}, and an
 * invalidation removes the matching keys and announces its scope there. A message is a kind byte ({@code P} stored,
 * {@code I} invalidated, {@code H} heartbeat), the sender's random 16-byte id, and the entry's or scope's bytes.
 *
 * <p><b>The subscription</b> holds a connection of its own. Once Redis confirms it, every entry in Redis is read
 * ({@code SCAN}, a page at a time) and handed to the {@link SemanticChannelListener listener}: {@code subscribed},
 * then {@code loaded} per page, then {@code synced}. What is announced meanwhile reaches the listener as it is heard;
 * the listener reconciles the two. A replica's own announcements are not handed back to it.
 *
 * <p><b>When it is lost.</b> A reset or closed connection says so at once; a connection that silently stops (a network
 * that drops packets) is found by the heartbeat: every {@code heartbeatInterval} each replica publishes one, and a
 * subscription that has heard nothing for three intervals is dropped. Either way the listener hears {@code lost}
 * (announcements may have been missed), and a new subscription is tried every {@code probeInterval} (at least 100 ms)
 * until one holds, which loads everything again. Failures are reported to the {@link RedisOutage} shared with the
 * answer store: one warning per outage.
 *
 * <p>Thread-safe. Listener calls come from Vert.x event loops, one at a time in the order heard; they must not block.
 */
public final class RedisSemanticEntries implements AutoCloseable {
  private static final byte STORED = 'P';
  private static final byte INVALIDATED = 'I';
  private static final byte HEARTBEAT = 'H';
  private static final int ORIGIN_BYTES = 16;

  private final Vertx vertx;
  private final Redis commands;
  private final RedisCacheOptions options;
  private final RedisOutage outage;
  private final SemanticChannelListener listener;
  private final Ticker ticker;
  private final byte[] origin = new byte[ORIGIN_BYTES];
  private final AtomicLong generation = new AtomicLong();
  private final AtomicReference<Subscription> subscription = new AtomicReference<>();
  private final long heartbeatTimer;
  private volatile long heardNanos;
  private volatile boolean closed;

  /**
   * One attempt at subscribing: its generation, its own client (closed with it, so a connection that went silent is
   * never handed back to a pool) and, once connected, its connection.
   */
  private record Subscription(long generation, Redis client, RedisConnection connection) {}

  private RedisSemanticEntries(
      Vertx vertx, RedisCacheOptions options, RedisOutage outage, SemanticChannelListener listener, Ticker ticker) {
    this.vertx = vertx;
    this.options = options;
    this.outage = outage;
    this.listener = listener;
    this.ticker = ticker;
    new SecureRandom().nextBytes(origin);
    this.commands = Redis.createClient(vertx, RedisAnswerStore.redisOptions(options));
    this.heartbeatTimer = vertx.setPeriodic(options.heartbeatInterval().toMillis(), id -> beat());
  }

  /** Starts subscribing (in the background: this returns at once); close it to stop. */
  public static RedisSemanticEntries start(
      Vertx vertx, RedisCacheOptions options, RedisOutage outage, SemanticChannelListener listener, Ticker ticker) {
    RedisSemanticEntries entries = new RedisSemanticEntries(Objects.requireNonNull(vertx, "vertx"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(outage, "outage"),
        Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(ticker, "ticker"));
    entries.subscribe();
    return entries;
  }

  /**
   * Stores {@code entry} until its answer's expiry and announces it, in one round trip; completes with whether Redis
   * took it (never fails: a failure is the outage's to report). An entry already expired by {@code nowMillis} is not
   * stored.
   */
  public CompletionStage<Boolean> write(SemanticEntry entry, long nowMillis) {
    long ttlMillis = entry.answer().expiresAtMillis() - nowMillis;
    if (ttlMillis < 1 || outage.skipping()) {
      return CompletableFuture.completedFuture(false);
    }
    byte[] bytes = CacheEntryCodec.encodeEntry(entry);
    List<Request> both = List.of(
        Request.cmd(Command.SET).arg(options.entryKey(entry.id())).arg(bytes).arg("PX").arg(ttlMillis),
        publish(STORED, bytes));
    CompletableFuture<Boolean> written = new CompletableFuture<>();
    RedisCalls.batch(commands, both).timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            outage.answered();
          } else {
            outage.failed("semantic store", done.cause());
          }
          written.complete(done.succeeded());
        });
    return written;
  }

  /**
   * Removes the entries in {@code scope} from Redis and announces the scope to every replica; completes with how many
   * keys went, or fails with {@link CacheUnavailableException} when Redis could not be reached.
   */
  public CompletionStage<Long> invalidate(CacheScope scope) {
    if (outage.skipping()) {
      return CompletableFuture.failedFuture(new CacheUnavailableException(
          "Semantic cache entries cannot be removed: Redis at " + options.endpoint() + " failed moments ago", null));
    }
    long timeout = options.commandTimeout().toMillis();
    Predicate<byte[]> inScope =
        bytes -> CacheEntryCodec.decodeEntry(bytes).map(SemanticEntry::answer).filter(scope::matches).isPresent();
    Future<Long> removed = !scope.key().isEmpty()
        ? RedisKeyScan.unlinkWhere(commands, List.of(options.entryKey(scope.key())), timeout, inScope)
        : RedisKeyScan.removeWhere(commands, options.entryKey(""), timeout, inScope);
    CompletableFuture<Long> result = new CompletableFuture<>();
    removed.compose(n -> RedisCalls.send(commands, publish(INVALIDATED, CacheEntryCodec.encodeScope(scope)))
            .timeout(timeout, TimeUnit.MILLISECONDS).map(published -> n))
        .onComplete(done -> {
          if (done.succeeded()) {
            outage.answered();
            result.complete(done.result());
          } else {
            outage.failed("semantic invalidate", done.cause());
            result.completeExceptionally(new CacheUnavailableException("Semantic cache entries cannot be removed: Redis"
                + " at " + options.endpoint() + " is unavailable (" + RedisCalls.describe(done.cause()) + ")",
                done.cause()));
          }
        });
    return result;
  }

  private Request publish(byte kind, byte[] payload) {
    ByteBuffer message = ByteBuffer.allocate(1 + ORIGIN_BYTES + payload.length);
    message.put(kind).put(origin).put(payload);
    return Request.cmd(Command.PUBLISH).arg(options.channel()).arg(message.array());
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
    client.connect().timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS).onComplete(connected -> {
      if (connected.failed()) {
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

  private void heard(long gen, Response message) {
    if (gen != generation.get() || message == null || message.size() < 3) {
      return;
    }
    heardNanos = ticker.read();
    String kind = message.get(0).toString();
    if (kind.equals("subscribe")) {
      listener.subscribed();
      load(gen);
      return;
    }
    if (!kind.equals("message")) {
      return;
    }
    byte[] m = message.get(2).toBytes();
    if (m.length < 1 + ORIGIN_BYTES || Arrays.equals(m, 1, 1 + ORIGIN_BYTES, origin, 0, ORIGIN_BYTES)) {
      return; // not ours to read, or our own
    }
    byte[] payload = Arrays.copyOfRange(m, 1 + ORIGIN_BYTES, m.length);
    switch (m[0]) {
      case STORED -> CacheEntryCodec.decodeEntry(payload).ifPresent(listener::added);
      case INVALIDATED -> CacheEntryCodec.decodeScope(payload).ifPresent(listener::invalidated);
      default -> { } // a heartbeat (another replica's), or a kind a later version adds
    }
  }

  private void load(long gen) {
    long timeout = options.commandTimeout().toMillis();
    RedisKeyScan.eachPage(commands, options.entryKey(""), timeout, keys -> {
      Request mget = Request.cmd(Command.MGET);
      keys.forEach(mget::arg);
      return RedisCalls.send(commands, mget).timeout(timeout, TimeUnit.MILLISECONDS).map(values -> {
        List<SemanticEntry> page = new ArrayList<>(keys.size());
        for (Response value : values) {
          Optional.ofNullable(value).flatMap(v -> CacheEntryCodec.decodeEntry(v.toBytes())).ifPresent(page::add);
        }
        if (gen == generation.get()) {
          listener.loaded(page);
        }
        return (long) page.size();
      });
    }).onComplete(loaded -> {
      if (gen != generation.get()) {
        return;
      }
      if (loaded.failed()) {
        lose(gen, "semantic load", loaded.cause());
        return;
      }
      outage.answered();
      listener.synced();
    });
  }

  /** Publishes a heartbeat; drops a subscription that heard nothing for three intervals. */
  private void beat() {
    Subscription s = subscription.get();
    if (closed || s == null || s.connection() == null) {
      return;
    }
    long silentNanos = ticker.read() - heardNanos;
    long limitNanos = 3 * options.heartbeatInterval().toNanos();
    if (silentNanos > limitNanos) {
      lose(s.generation(), "subscription",
          new TimeoutException("nothing heard on the channel for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms"));
      return;
    }
    RedisCalls.send(commands, publish(HEARTBEAT, new byte[0]))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(e -> {
          if (!closed) {
            outage.failed("heartbeat", e);
          }
        });
  }

  /** Ends subscription {@code gen} (once), tells the listener, and tries again after the probe interval. */
  private void lose(long gen, String operation, Throwable cause) {
    if (!generation.compareAndSet(gen, gen + 1)) {
      return; // already lost, or superseded
    }
    Subscription s = subscription.getAndSet(null);
    if (s != null) {
      s.client().close();
    }
    listener.lost();
    if (closed) {
      return;
    }
    outage.failed(operation, cause);
    vertx.setTimer(Math.max(100, options.probeInterval().toMillis()), id -> subscribe());
  }

  /** True while a subscription is connected (it may still be loading). */
  public boolean subscribed() {
    Subscription s = subscription.get();
    return s != null && s.connection() != null;
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
    return "RedisSemanticEntries[" + options.endpoint() + ", " + options.keyPrefix() + (subscribed() ? "" : ", down")
        + "]";
  }
}
