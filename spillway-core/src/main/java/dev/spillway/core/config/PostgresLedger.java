package dev.spillway.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The PostgreSQL ledger store: a JDBC URL, its user and (secret) password, and the pool size.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}; never carries a password (the binder refuses one)
 * @param user the database role
 * @param password the role's password, empty for trust or peer authentication; never printed
 * @param poolSize connections kept by the pool (the writer uses one; reports use the others)
 */
public record PostgresLedger(String jdbcUrl, String user, Optional<String> password, int poolSize) {
  public static final int DEFAULT_POOL_SIZE = 4;

  public PostgresLedger {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    password = password == null ? Optional.empty() : password;
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1");
    }
  }

  @Override
  public String toString() {
    return "PostgresLedger[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password.isPresent() ? "***" : "none")
        + ", poolSize=" + poolSize + "]";
  }
}
