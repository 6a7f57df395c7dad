package dev.spillway.gateway.ledger;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.PromptPrefixHash;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's {@link PromptPrefixHash}, keyed with its ledger's salt (and {@code auth.keyPepper}, when set). The
 * gateway reads the salt while it starts ({@link #warmUp()}, before it accepts requests). The ledger database may be
 * down then, so until a read has succeeded {@link #current()} answers empty and starts another read on a worker thread,
 * at most once every {@link #RETRY}; requests while there is no key are recorded without a hash. Without a ledger there
 * is never a key (nothing would record the hash). Thread-safe; {@link #current()} never blocks.
 */
public final class LedgerPrefixHash {
  /** The wait between reads of the salt while the ledger cannot be read. */
  public static final Duration RETRY = Duration.ofSeconds(30);
  /** The longest the gateway's start waits for the first read (a database that is down answers sooner). */
  public static final Duration WARM_UP_WAIT = Duration.ofSeconds(3);

  private static final Logger LOG = System.getLogger(LedgerPrefixHash.class.getName());

  private final Vertx vertx;
  private final SpillwayConfig config;
  private final Clock clock;
  private final AtomicReference<PromptPrefixHash> hash = new AtomicReference<>();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final AtomicLong nextReadMillis = new AtomicLong(Long.MIN_VALUE);

  public LedgerPrefixHash(Vertx vertx, SpillwayConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Reads the salt now; the future completes (never fails) once the read is over, whether it succeeded or not, or
   * after {@link #WARM_UP_WAIT}; at once without a ledger or when another read is under way.
   */
  public Future<Void> warmUp() {
    if (hash.get() != null || !config.ledger().enabled()) {
      return Future.succeededFuture();
    }
    Optional<Future<Void>> first = read();
    if (first.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> over = Promise.promise();
    long timer = vertx.setTimer(WARM_UP_WAIT.toMillis(), id -> over.tryComplete());
    first.get().onComplete(ar -> {
      vertx.cancelTimer(timer);
      over.tryComplete();
    });
    return over.future();
  }

  /** The hash once the ledger's salt is known; empty before, and always without a ledger. */
  public Optional<PromptPrefixHash> current() {
    PromptPrefixHash known = hash.get();
    if (known != null || !config.ledger().enabled()) {
      return Optional.ofNullable(known);
    }
    if (clock.millis() >= nextReadMillis.get()) {
      read();
    }
    return Optional.empty();
  }

  /** Starts a read unless one is under way; its future completes when it is over. */
  private Optional<Future<Void>> read() {
    if (!reading.compareAndSet(false, true)) {
      return Optional.empty();
    }
    nextReadMillis.set(clock.millis() + RETRY.toMillis());
    return Optional.of(vertx.executeBlocking(() -> Ledgers.salt(config.ledger()), false).transform(ar -> {
      if (ar.succeeded()) {
        hash.set(PromptPrefixHash.keyed(ar.result(), config.auth().keyPepper()));
      } else {
        LOG.log(Level.WARNING, "prompt prefix hashes wait for the ledger's salt (retried in " + RETRY.toSeconds()
            + " s): " + ar.cause().getMessage());
      }
      reading.set(false);
      return Future.<Void>succeededFuture();
    }));
  }
}
