package dev.spillway.core.config;

import java.util.List;
import java.util.Optional;

/**
 * Binds {@code store:}, where consumers added through the admin API and gateway keys live: {@code store: file} (files
 * beside {@code auth.keyStore}), {@code store: postgres} (the ledger's PostgreSQL database), or {@code store: {
 * postgres: {url, user, password, poolSize} }} (a database of its own). Absent, it follows the ledger: {@code
 * ledger.postgres} set means the ledger's database, else files. Bound after {@code ledger}.
 */
final class StoreBinder {
  static final List<String> STORE_KEYS = List.of("postgres");

  private final ScalarReader read;

  StoreBinder(ScalarReader read) {
    this.read = read;
  }

  StoreConfig bind(YamlNode.Mapping root, LedgerConfig ledger) {
    YamlNode.Entry entry = root.entries().get("store");
    StoreConfig followLedger = ledger.postgres().map(StoreConfig::postgres).orElse(StoreConfig.FILES);
    if (entry == null || ScalarReader.isNull(entry.value())) {
      return followLedger;
    }
    if (entry.value() instanceof YamlNode.Scalar) {
      Optional<ScalarReader.Value> v = read.scalar(root, "store", "");
      String kind = v.map(ScalarReader.Value::text).orElse("").strip();
      switch (kind) {
        case "file" -> {
          return StoreConfig.FILES;
        }
        case "postgres" -> {
          if (ledger.postgres().isEmpty()) {
            read.problem(entry.keyLine(), "store", "is postgres but ledger.postgres is not set; give the database"
                + " under store.postgres (url, user, password, poolSize) or set ledger.postgres");
            return StoreConfig.FILES;
          }
          return followLedger;
        }
        default -> {
          read.problem(entry.keyLine(), "store", "must be file, postgres or a mapping with postgres:, got "
              + v.map(ScalarReader.Value::shown).orElse("nothing"));
          return StoreConfig.FILES;
        }
      }
    }
    Optional<YamlNode.Mapping> m = read.section(root, "store");
    if (m.isEmpty()) {
      return StoreConfig.FILES; // reported
    }
    read.checkKeys(m.get(), "store", STORE_KEYS);
    Optional<YamlNode.Mapping> postgres = read.section(m.get(), "postgres", "store");
    if (postgres.isEmpty()) {
      read.problem(entry.keyLine(), "store.postgres", "is required in a store: mapping (url, user, password,"
          + " poolSize); for files write store: file");
      return StoreConfig.FILES;
    }
    return new LedgerBinder(read).postgres(postgres.get(), "store.postgres").map(StoreConfig::postgres)
        .orElse(StoreConfig.FILES);
  }
}
