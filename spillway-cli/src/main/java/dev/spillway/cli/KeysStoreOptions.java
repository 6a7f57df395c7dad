package dev.spillway.cli;

import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option every {@code spillway keys} subcommand shares, and how it becomes a
 * key store: load and validate the config, insist on {@code auth.keyPepper}, open {@code
 * auth.keyStore}. A relative {@code auth.keyStore} is relative to the config file's directory, not
 * the working directory, so the CLI and {@code spillway serve} open the same file wherever they run.
 */
final class KeysStoreOptions {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Gateway config (YAML); keys go to its auth.keyStore (relative paths are relative to this file's"
          + " directory) and are hashed with its auth.keyPepper.")
  Path config;

  /** The loaded config and its key store. */
  record Opened(SpillwayConfig config, FileKeyStore store) {}

  /**
   * @throws dev.spillway.core.config.ConfigException when the config is invalid (exit 2)
   * @throws IllegalArgumentException when the pepper is missing (exit 2)
   * @throws dev.spillway.core.auth.keys.KeyStoreException when the key file cannot be read
   */
  Opened open() {
    SpillwayConfig loaded = ConfigLoader.load(config);
    String pepper =
        loaded.auth().keyPepper().orElseThrow(() -> new IllegalArgumentException(
            "auth.keyPepper is not set in " + config + "; gateway keys are hashed with it. Add a secret of at least "
                + KeyHasher.MIN_PEPPER_LENGTH + " characters, for example auth: { keyPepper: ${SPILLWAY_KEY_PEPPER} }"));
    Path file = FileKeyStore.resolveAgainstConfig(config, loaded.auth().keyStore());
    return new Opened(loaded, new FileKeyStore(file, new KeyHasher(pepper)));
  }

  /** The consumer, which must be listed under {@code consumers:}. */
  String requireConsumer(SpillwayConfig loaded, String consumerId) {
    if (loaded.consumer(consumerId).isEmpty()) {
      String known = loaded.consumers().isEmpty()
          ? "none are configured"
          : "known: " + String.join(", ", loaded.consumers().stream().map(c -> c.id()).toList());
      throw new IllegalArgumentException(
          "consumer '" + consumerId + "' is not listed under consumers: in " + config + " (" + known + ")");
    }
    return consumerId;
  }
}
