package dev.spillway.cli;

import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.gateway.ledger.Ledgers;
import java.nio.file.Path;

/** The usage ledger a config file names, opened for reading by the commands that report from it. */
final class ConfiguredLedger {
  private ConfiguredLedger() {}

  /**
   * @throws IllegalArgumentException (a usage error) when the config turns the ledger off
   */
  static LedgerReader open(SpillwayConfig loaded, Path configFile) {
    return Ledgers.openReader(loaded.ledger())
        .orElseThrow(
            () ->
                new IllegalArgumentException("the usage ledger is off in " + configFile
                    + " (ledger: off; without it usage is recorded to " + LedgerConfig.EMBEDDED_FILE_NAME
                    + " next to the config, or set ledger.sqlite or ledger.postgres)"));
  }
}
