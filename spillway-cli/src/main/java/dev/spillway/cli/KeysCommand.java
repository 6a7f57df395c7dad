package dev.spillway.cli;

import dev.spillway.core.auth.keys.GatewayKeyFormat;
import dev.spillway.core.auth.keys.IssuedKey;
import dev.spillway.core.auth.keys.KeyRecord;
import dev.spillway.core.auth.keys.KeyStoreException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spillway keys ...}: issue, rotate, revoke and list gateway keys in the config's {@code
 * auth.keyStore} file, or in the shared PostgreSQL store when the config puts them there ({@code store:}). A new key is printed once, alone on stdout (so {@code KEY=$(spillway keys
 * create ...)} works), with a one-line warning on stderr; the file keeps only salted, keyed hashes.
 * A running gateway re-reads the file within a second, so a revoke takes effect without a restart.
 * Do not run two of these against one file at the same moment: the last writer wins.
 *
 * <p>Exit codes: 0 done; 2 user error (invalid config, unknown consumer or key, no pepper); 1 the key
 * file cannot be read or written.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage gateway keys (sk-spw-...): create, rotate, revoke, list.",
    subcommands = {KeysCommand.Create.class, KeysCommand.Rotate.class, KeysCommand.Revoke.class, KeysCommand.ListKeys.class})
final class KeysCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Wall time recorded with keys, to the second (the file and the listings stay readable). */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** Runs {@code action}, turning a key-file failure into one line and exit code 1. */
  static int guarded(CommandSpec spec, Callable<Integer> action) throws Exception {
    try {
      return action.call();
    } catch (KeyStoreException e) {
      spec.commandLine().getErr().println("spillway: " + e.getMessage());
      return 1;
    }
  }

  static void printNewKey(CommandSpec spec, IssuedKey issued) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(issued.plaintext());
    out.flush();
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a new key for a consumer and print it once on stdout. Only a salted, keyed hash is stored;"
            + " the key cannot be shown again. Existing keys stay valid."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysStoreOptions options;

    @Option(names = "--consumer", required = true, paramLabel = "ID", description = "A consumer id from the config's consumers:.")
    String consumer;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        try (KeysStoreOptions.Opened opened = options.open()) {
          options.requireConsumer(opened, consumer);
          IssuedKey issued = opened.store().create(consumer, now());
          printNewKey(spec, issued);
          spec.commandLine().getErr().println("spillway: key " + issued.keyId() + " created for consumer " + consumer
              + "; copy it now, it will not be shown again.");
          return 0;
        }
      });
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Create a new key for a consumer and print it once. The consumer's newest previous key stays valid"
            + " (overlap while clients switch); any older active key is revoked now."
      })
  static final class Rotate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysStoreOptions options;

    @Option(names = "--consumer", required = true, paramLabel = "ID", description = "A consumer id from the config's consumers:.")
    String consumer;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        try (KeysStoreOptions.Opened opened = options.open()) {
          options.requireConsumer(opened, consumer);
          IssuedKey issued = opened.store().rotate(consumer, now());
          printNewKey(spec, issued);
          List<String> stillValid = opened.store().list(consumer).stream()
              .filter(KeyRecord::isActive)
              .map(KeyRecord::keyId)
              .filter(id -> !id.equals(issued.keyId()))
              .toList();
          spec.commandLine().getErr().println("spillway: key " + issued.keyId() + " created for consumer " + consumer
              + "; copy it now, it will not be shown again. Still valid: "
              + (stillValid.isEmpty() ? "none" : String.join(", ", stillValid))
              + "; revoked: " + (issued.revokedKeyIds().isEmpty() ? "none" : String.join(", ", issued.revokedKeyIds()))
              + ".");
          return 0;
        }
      });
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a key now. A running gateway re-reads the key file (or the shared store) and refuses the key within a"
            + " second."
      })
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysStoreOptions options;

    @Option(names = "--key-id", required = true, paramLabel = "ID",
        description = "The key id (the 12 characters after sk-spw-, as shown by keys list).")
    String keyId;

    @Override
    public Integer call() throws Exception {
      if (!GatewayKeyFormat.isKeyId(keyId)) {
        throw new IllegalArgumentException("--key-id must be the 12 letters and digits after sk-spw- (see spillway keys"
            + " list), not a whole key");
      }
      return guarded(spec, () -> {
        try (KeysStoreOptions.Opened opened = options.open()) {
          boolean revoked = opened.store().revoke(keyId, now());
          KeyRecord record = opened.store().listAll().stream()
              .filter(r -> r.keyId().equals(keyId))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("key " + keyId + " is not in " + opened.where()));
          if (!revoked) {
            throw new IllegalArgumentException("key " + keyId + " was already revoked at " + record.revokedAt().orElseThrow());
          }
          spec.commandLine().getOut().println("revoked " + keyId + " (consumer " + record.consumerId() + ")");
          return 0;
        }
      });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List keys: id, consumer, created, revoked. Never shows secrets (the store has none).")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysStoreOptions options;

    @Option(names = "--consumer", paramLabel = "ID", description = "Only this consumer's keys.")
    String consumer;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        List<KeyRecord> records;
        try (KeysStoreOptions.Opened opened = options.open()) {
          records = consumer == null ? opened.store().listAll() : opened.store().list(consumer);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY ID", "CONSUMER", "CREATED", "REVOKED"});
        for (KeyRecord r : records) {
          rows.add(new String[] {
            r.keyId(), r.consumerId(), r.createdAt().toString(), r.revokedAt().map(Instant::toString).orElse("-")
          });
        }
        printTable(spec.commandLine().getOut(), rows);
        return 0;
      });
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
      int[] widths = new int[rows.getFirst().length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
        }
        out.println(line.toString().stripTrailing());
      }
      out.flush();
    }
  }
}
