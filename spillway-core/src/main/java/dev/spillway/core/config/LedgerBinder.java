package dev.spillway.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code ledger:}: the SQLite file or the PostgreSQL store, the spill directory, the queue size, the write
 * timeout and the header that names end users.
 */
final class LedgerBinder {
  static final List<String> LEDGER_KEYS = List.of("sqlite", "postgres", "spillDirectory", "queueCapacity", "writeTimeout",
      "endUserHeader");
  static final List<String> POSTGRES_KEYS = List.of("url", "user", "password", "poolSize");

  private final ScalarReader read;

  LedgerBinder(ScalarReader read) {
    this.read = read;
  }

  LedgerConfig bind(YamlNode.Mapping m) {
    String path = "ledger";
    read.checkKeys(m, path, LEDGER_KEYS);
    Optional<Path> sqlite = read.scalar(m, "sqlite", path).flatMap(read::path);
    Optional<PostgresLedger> postgres = read.section(m, "postgres", path).flatMap(p -> postgres(p, "ledger.postgres"));
    if (sqlite.isPresent() && postgres.isPresent()) {
      read.problem(m.entries().get("postgres").keyLine(), "ledger.postgres", "set either ledger.sqlite or ledger.postgres, not both");
      return LedgerConfig.OFF;
    }
    Path spill =
        read.scalar(m, "spillDirectory", path).flatMap(read::path).orElse(read.resolve(LedgerConfig.OFF.spillDirectory()));
    int capacity =
        read.scalar(m, "queueCapacity", path).flatMap(v -> read.integer(v, 1, 10_000_000))
            .orElse(LedgerConfig.DEFAULT_QUEUE_CAPACITY);
    Duration writeTimeout =
        read.scalar(m, "writeTimeout", path).flatMap(this::writeTimeout).orElse(LedgerConfig.DEFAULT_WRITE_TIMEOUT);
    Optional<String> endUserHeader = read.scalar(m, "endUserHeader", path).flatMap(this::endUserHeader);
    return new LedgerConfig(sqlite, postgres, spill, capacity, writeTimeout, endUserHeader);
  }

  /** A header name, not one that carries credentials. */
  private Optional<String> endUserHeader(ScalarReader.Value v) {
    return read.nonBlank(v).filter(name -> LedgerConfig.endUserHeaderProblem(name)
        .map(problem -> {
          read.problem(v.line(), v.path(), problem + ", got " + v.shown());
          return false;
        })
        .orElse(true));
  }

  /** A duration from 10ms to 60s: shorter spills on a healthy database's slow moments, longer keeps answers in memory. */
  private Optional<Duration> writeTimeout(ScalarReader.Value v) {
    Optional<Duration> d = read.positiveDuration(v);
    if (d.isPresent()
        && (d.get().compareTo(LedgerConfig.MIN_WRITE_TIMEOUT) < 0 || d.get().compareTo(LedgerConfig.MAX_WRITE_TIMEOUT) > 0)) {
      read.problem(v.line(), v.path(), "must be from 10ms to 60s, got " + v.shown());
      return Optional.empty();
    }
    return d;
  }

  /** A PostgreSQL database section at {@code path} ({@code ledger.postgres}, {@code store.postgres}). */
  Optional<PostgresLedger> postgres(YamlNode.Mapping m, String path) {
    int before = read.problemCount();
    read.checkKeys(m, path, POSTGRES_KEYS);
    Optional<String> url = read.requiredScalar(m, "url", path).flatMap(v -> jdbcUrl(v, path));
    String user = read.scalar(m, "user", path).flatMap(read::nonBlank).orElse("postgres");
    Optional<String> password = read.scalar(m, "password", path).flatMap(v -> read.secret(v, 0));
    int poolSize =
        read.scalar(m, "poolSize", path).flatMap(v -> read.integer(v, 1, 64)).orElse(PostgresLedger.DEFAULT_POOL_SIZE);
    if (read.problemCount() != before || url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PostgresLedger(url.get(), user, password, poolSize));
  }

  /** {@code jdbc:postgresql://...} without a password in it (passwords go in {@code password}, which is never echoed). */
  private Optional<String> jdbcUrl(ScalarReader.Value v, String path) {
    String text = v.text().strip();
    if (!text.startsWith("jdbc:postgresql://")) {
      read.problem(v.line(), v.path(), "must start with jdbc:postgresql://, e.g. jdbc:postgresql://127.0.0.1:5432/spillway");
      return Optional.empty();
    }
    if (text.toLowerCase(java.util.Locale.ROOT).contains("password=") || text.substring("jdbc:postgresql://".length()).contains("@")) {
      read.problem(v.line(), v.path(), "must not contain a password; put it in " + path + ".password (value not shown)");
      return Optional.empty();
    }
    return Optional.of(text);
  }
}
