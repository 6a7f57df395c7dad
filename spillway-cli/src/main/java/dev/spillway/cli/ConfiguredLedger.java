package dev.spillway.cli;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.gateway.ledger.Ledgers;
import java.nio.file.Path;

/** The usage ledger a config file names, opened for reading by the commands that report from it. */
final class ConfiguredLedger {
  private ConfiguredLedger() {}

  /**
   * @throws IllegalArgumentException (a usage error) when the config has no ledger
   */
  static LedgerReader open(SpillwayConfig loaded, Path configFile) {
    return Ledgers.openReader(loaded.ledger())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no usage ledger is configured in " + configFile + " (set ledger.sqlite or ledger.postgres)"));
  }
}
