package dev.spillway.gateway.store;

import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.auth.keys.SharedKeyStore;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.auth.ConsumerDirectory;
import dev.spillway.gateway.auth.FileConsumerStore;
import dev.spillway.gateway.store.postgres.PostgresConsumerStore;
import dev.spillway.gateway.store.postgres.PostgresKeyTable;
import dev.spillway.gateway.store.postgres.PostgresStoreDatabase;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The consumers added through the admin API and the gateway keys, where {@code store:} puts them: files beside {@code
 * auth.keyStore} (the key file, {@code consumers.json}), or PostgreSQL tables every replica shares. Either way lookups
 * on the request path read memory only; {@link #watch} keeps that memory in step with changes made elsewhere (the
 * {@code keys} command on the file, another replica on the database) by a cheap check every {@link #FILE_CHECK} or
 * {@link #DATABASE_CHECK}, re-reading only what changed. A revocation made through one replica is therefore refused
 * by the others within {@link #DATABASE_CHECK} plus one read.
 *
 * <p>{@link #open} blocks (it reads the files or migrates and reads the database): call it off the event loop.
 */
public final class AuthStores implements AutoCloseable {
  /** How often the files are checked for a change ({@code stat}). */
  static final Duration FILE_CHECK = Duration.ofMillis(500);
  /** How often a replica asks the database whether consumers or keys changed (one small query each). */
  public static final Duration DATABASE_CHECK = Duration.ofMillis(250);
  private static final Logger LOG = System.getLogger("spillway.store");

  private final Optional<KeyStore> keys;
  private final ConsumerDirectory consumers;
  private final Optional<PostgresStoreDatabase> database;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile boolean failing;
  private volatile boolean closed;

  private AuthStores(Optional<KeyStore> keys, ConsumerDirectory consumers, Optional<PostgresStoreDatabase> database) {
    this.keys = keys;
    this.consumers = consumers;
    this.database = database;
  }

  /**
   * Opens the stores {@code config} asks for.
   *
   * @throws RuntimeException when a file cannot be read or the database cannot be reached or migrated
   */
  public static AuthStores open(SpillwayConfig config) {
    Optional<KeyHasher> hasher = config.auth().keyPepper().map(KeyHasher::new);
    if (config.store().postgres().isEmpty()) {
      Path keyFile = config.auth().keyStore();
      return new AuthStores(
          hasher.map(h -> KeyStore.file(keyFile, h)),
          new ConsumerDirectory(config.consumers(), new FileConsumerStore(Optional.of(keyFile.resolveSibling("consumers.json")))),
          Optional.empty());
    }
    PostgresStoreDatabase db = PostgresStoreDatabase.open(config.store().postgres().get());
    try {
      Path keyFile = config.auth().keyStore();
      PostgresConsumerStore consumerStore = new PostgresConsumerStore(db);
      // A gateway moving from files to the shared store keeps what it had: the files are copied in once, into
      // tables that were never written (then they are no longer read).
      Path consumerFile = keyFile.resolveSibling("consumers.json");
      if (Files.exists(consumerFile)
          && consumerStore.importIfNeverWritten(new FileConsumerStore(Optional.of(consumerFile)).read().consumers())) {
        LOG.log(Level.INFO, "copied the consumers of " + consumerFile + " into the shared store");
      }
      ConsumerDirectory consumers = new ConsumerDirectory(config.consumers(), consumerStore);
      Optional<KeyStore> keys = hasher.map(h -> {
        SharedKeyStore shared = new SharedKeyStore(new PostgresKeyTable(db), h);
        if (Files.exists(keyFile) && shared.importIfNeverWritten(KeyStore.file(keyFile, h).listAll())) {
          LOG.log(Level.INFO, "copied the gateway keys of " + keyFile + " (hashes) into the shared store");
        }
        return shared;
      });
      return new AuthStores(keys, consumers, Optional.of(db));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** The gateway-key store, when {@code auth.keyPepper} is set. */
  public Optional<KeyStore> keys() {
    return keys;
  }

  /** The consumers of the config file and those added through the admin API. */
  public ConsumerDirectory consumers() {
    return consumers;
  }

  /** True when consumers and keys are in a database shared by replicas. */
  public boolean shared() {
    return database.isPresent();
  }

  /**
   * Starts following changes made elsewhere: a periodic timer whose checks run on a worker thread, one at a time.
   *
   * @return the timer id, to cancel on shutdown
   */
  public long watch(Vertx vertx) {
    Duration period = shared() ? DATABASE_CHECK : FILE_CHECK;
    return vertx.setPeriodic(period.toMillis(), id -> {
      if (!checking.compareAndSet(false, true)) {
        return; // the previous check is still running (a slow database)
      }
      vertx.executeBlocking(() -> {
        refreshIfChanged();
        return null;
      }, false).onComplete(done -> checking.set(false));
    });
  }

  /**
   * Catches up with changes made elsewhere, consumers first (a new key's consumer is known before the key). Blocks.
   * A failure is logged once (without secrets) and the data in memory stays as it was until a later check succeeds.
   */
  public void refreshIfChanged() {
    if (closed) {
      return;
    }
    try {
      if (shared()) {
        consumers.refreshIfChanged();
      }
      keys.ifPresent(store -> {
        if (store instanceof SharedKeyStore shared) {
          shared.refreshIfChanged();
        } else if (store instanceof FileKeyStore file) {
          file.reloadIfChanged();
        }
      });
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "shared store readable again; consumers and keys are current");
      }
    } catch (RuntimeException e) {
      if (!failing && !closed) {
        failing = true;
        LOG.log(Level.WARNING, "cannot check consumers and keys for changes; serving the ones in memory until the"
            + " store answers: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    database.ifPresent(PostgresStoreDatabase::close);
  }

  @Override
  public String toString() {
    return "AuthStores[" + (shared() ? database.get().toString() : "files") + "]";
  }
}
