package dev.spillway.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The durable usage ledger: one row per request, for chargeback. At most one store is set.
 *
 * @param sqliteFile the embedded ledger's SQLite file
 * @param postgres the PostgreSQL store, for replicas that share one ledger
 * @param spillDirectory where records wait on disk while the ledger store is unavailable
 * @param queueCapacity records held in memory before they go to the spill file
 * @param writeTimeout longest one write to the store may take before the store counts as down and records spill to
 *     disk (each fsynced before its request's answer ends, until the store has caught up)
 * @param endUserHeader a request header (lower case) that names the end user a request is made for; when a request
 *     carries it, it wins over the body's {@code user}. Never a header that carries credentials ({@link
 *     #CREDENTIAL_HEADERS}): what it holds is stored in every row
 */
public record LedgerConfig(
    Optional<Path> sqliteFile,
    Optional<PostgresLedger> postgres,
    Path spillDirectory,
    int queueCapacity,
    Duration writeTimeout,
    Optional<String> endUserHeader) {
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** A healthy batch insert takes a few milliseconds to a few tens; an outage should spill in about this long. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMillis(250);
  public static final Duration MIN_WRITE_TIMEOUT = Duration.ofMillis(10);
  public static final Duration MAX_WRITE_TIMEOUT = Duration.ofSeconds(60);
  /** Headers that carry credentials or sessions, refused as {@code endUserHeader}: the ledger would keep secrets. */
  public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
      "x-api-key", "cookie", "set-cookie", "ocp-apim-subscription-key");
  /** RFC 9110 token: what a header name may consist of. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]+");
  public static final LedgerConfig OFF =
      new LedgerConfig(Optional.empty(), Optional.empty(), Path.of("spillway-data", "ledger-spill"), DEFAULT_QUEUE_CAPACITY);

  /** The file name of the ledger {@code serve} keeps next to its config when the config has no {@code ledger:}. */
  public static final String EMBEDDED_FILE_NAME = "spillway-usage.db";

  /**
   * The embedded default of a config file without a {@code ledger:} section: SQLite in {@value #EMBEDDED_FILE_NAME}
   * in {@code directory} (the config's), records spilled under {@code directory/spillway-data/ledger-spill}.
   */
  public static LedgerConfig embedded(Path directory) {
    return new LedgerConfig(Optional.of(directory.resolve(EMBEDDED_FILE_NAME)), Optional.empty(),
        directory.resolve(OFF.spillDirectory()), DEFAULT_QUEUE_CAPACITY);
  }

  public LedgerConfig {
    sqliteFile = sqliteFile == null ? Optional.empty() : sqliteFile;
    postgres = postgres == null ? Optional.empty() : postgres;
    if (sqliteFile.isPresent() && postgres.isPresent()) {
      throw new IllegalArgumentException("set either sqlite or postgres, not both");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1");
    }
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    if (writeTimeout.compareTo(MIN_WRITE_TIMEOUT) < 0 || writeTimeout.compareTo(MAX_WRITE_TIMEOUT) > 0) {
      throw new IllegalArgumentException("writeTimeout must be between 10ms and 60s, got " + writeTimeout);
    }
    endUserHeader = endUserHeader == null ? Optional.empty() : endUserHeader.map(h -> h.strip().toLowerCase(Locale.ROOT));
    endUserHeader.ifPresent(LedgerConfig::checkEndUserHeader);
  }

  /** Why {@code name} cannot be the end-user header, if it cannot; names are compared in lower case. */
  public static Optional<String> endUserHeaderProblem(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    if (!HEADER_NAME.matcher(lower).matches()) {
      return Optional.of("must be a header name (letters, digits and !#$%&'*+-.^_`|~; no spaces or ':')");
    }
    if (CREDENTIAL_HEADERS.contains(lower)) {
      return Optional.of("must not be a header that carries credentials (the ledger would store them)");
    }
    return Optional.empty();
  }

  private static void checkEndUserHeader(String name) {
    endUserHeaderProblem(name).ifPresent(problem -> {
      throw new IllegalArgumentException("endUserHeader " + problem);
    });
  }

  /** A ledger with the default {@link #DEFAULT_WRITE_TIMEOUT write timeout}, end users named by the body only. */
  public LedgerConfig(Optional<Path> sqliteFile, Optional<PostgresLedger> postgres, Path spillDirectory, int queueCapacity) {
    this(sqliteFile, postgres, spillDirectory, queueCapacity, DEFAULT_WRITE_TIMEOUT, Optional.empty());
  }

  /** The same ledger with {@code header} naming end users. */
  public LedgerConfig withEndUserHeader(String header) {
    return new LedgerConfig(sqliteFile, postgres, spillDirectory, queueCapacity, writeTimeout, Optional.of(header));
  }

  public boolean enabled() {
    return sqliteFile.isPresent() || postgres.isPresent();
  }
}
