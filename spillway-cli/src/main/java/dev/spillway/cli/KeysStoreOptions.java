package dev.spillway.cli;

import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.auth.keys.KeyStoreException;
import dev.spillway.core.auth.keys.SharedKeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.store.postgres.PostgresConsumerStore;
import dev.spillway.gateway.store.postgres.PostgresKeyTable;
import dev.spillway.gateway.store.postgres.PostgresStoreDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option every {@code spillway keys} subcommand shares, and how it becomes a
 * key store: load and validate the config, insist on {@code auth.keyPepper}, open {@code
 * auth.keyStore}, or the shared PostgreSQL store when the config's {@code store:} (or {@code
 * ledger.postgres} without one) puts keys there. A relative {@code auth.keyStore} is relative to the
 * config file's directory, not the working directory, so the CLI and {@code spillway serve} open the
 * same file wherever they run.
 */
final class KeysStoreOptions {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Gateway config (YAML); keys go to its auth.keyStore (relative paths are relative to this file's"
          + " directory) and are hashed with its auth.keyPepper.")
  Path config;

  /**
   * The loaded config and its key store; close it to release a database pool.
   *
   * @param where the file or the database, for messages (never a password)
   * @param database the shared store's database, when keys live there
   */
  record Opened(SpillwayConfig config, KeyStore store, String where, Optional<PostgresStoreDatabase> database)
      implements AutoCloseable {
    @Override
    public void close() {
      database.ifPresent(PostgresStoreDatabase::close);
    }
  }

  /**
   * @throws dev.spillway.core.config.ConfigException when the config is invalid (exit 2)
   * @throws IllegalArgumentException when the pepper is missing (exit 2)
   * @throws dev.spillway.core.auth.keys.KeyStoreException when the key file or database cannot be read
   */
  Opened open() {
    SpillwayConfig loaded = ConfigLoader.load(config);
    String pepper =
        loaded.auth().keyPepper().orElseThrow(() -> new IllegalArgumentException(
            "auth.keyPepper is not set in " + config + "; gateway keys are hashed with it. Add a secret of at least "
                + KeyHasher.MIN_PEPPER_LENGTH + " characters, for example auth: { keyPepper: ${SPILLWAY_KEY_PEPPER} }"));
    KeyHasher hasher = new KeyHasher(pepper);
    if (loaded.store().postgres().isPresent()) {
      PostgresStoreDatabase db;
      try {
        db = PostgresStoreDatabase.open(loaded.store().postgres().get());
      } catch (IllegalStateException e) {
        throw new KeyStoreException(e.getMessage(), e);
      }
      try {
        return new Opened(loaded, new SharedKeyStore(new PostgresKeyTable(db), hasher),
            "the shared store " + loaded.store().postgres().get().jdbcUrl(), Optional.of(db));
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
    }
    Path file = FileKeyStore.resolveAgainstConfig(config, loaded.auth().keyStore());
    return new Opened(loaded, new FileKeyStore(file, hasher), file.toString(), Optional.empty());
  }

  /** The consumer, which must be listed under {@code consumers:} or (shared store) added through the admin API. */
  String requireConsumer(Opened opened, String consumerId) {
    List<ConsumerConfig> known = new java.util.ArrayList<>(opened.config().consumers());
    opened.database().ifPresent(db -> known.addAll(new PostgresConsumerStore(db).read().consumers()));
    if (known.stream().noneMatch(c -> c.id().equals(consumerId))) {
      String names = known.isEmpty()
          ? "none are configured"
          : "known: " + String.join(", ", known.stream().map(ConsumerConfig::id).toList());
      throw new IllegalArgumentException(
          "consumer '" + consumerId + "' is not listed under consumers: in " + config
              + (opened.database().isPresent() ? " nor added through the admin API" : "") + " (" + names + ")");
    }
    return consumerId;
  }
}
