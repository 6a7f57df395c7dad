package dev.spillway.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where consumers added through the admin API and gateway keys live ({@code store:}). With {@code postgres} set they
 * are in that PostgreSQL database, shared by every replica (a change made through one replica's admin API is in
 * force on all within a second); without it they are files beside {@code auth.keyStore} (the embedded default).
 *
 * <p>The binder resolves the default: a file without {@code store:} but with {@code ledger.postgres} keeps them in
 * the ledger's database; {@code store: file} keeps the files even then. Configs built in code start at {@link
 * #FILES}.
 *
 * @param postgres the database, when shared; same settings as {@code ledger.postgres} (URL, user, secret password)
 */
public record StoreConfig(Optional<PostgresLedger> postgres) {
  public static final StoreConfig FILES = new StoreConfig(Optional.empty());

  public StoreConfig {
    Objects.requireNonNull(postgres, "postgres");
  }

  /** Consumers and keys in the given PostgreSQL database. */
  public static StoreConfig postgres(PostgresLedger database) {
    return new StoreConfig(Optional.of(database));
  }

  /** True when replicas share consumers and keys through a database. */
  public boolean shared() {
    return postgres.isPresent();
  }
}
