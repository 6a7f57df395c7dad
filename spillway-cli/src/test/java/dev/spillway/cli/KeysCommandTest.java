package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.GatewayKeyFormat;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.auth.keys.KeyRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  private static final String PEPPER = "cli-test-pepper-0123456789";
  private static final String MODELS =
      """
      models:
        gpt-4o:
          backends:
            - id: ptu-eastus
              url: https://contoso.openai.azure.com
              deployment: gpt-4o-ptu
              tier: ptu
      consumers:
        - id: search-app
          team: retail
          models: [gpt-4o]
        - id: billing
          team: finance
          models: [gpt-4o]
      """;

  @TempDir Path dir;
  private Path config;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void writeConfig() throws IOException {
    config = dir.resolve("conf").resolve("spillway.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, MODELS + "auth:\n  keyPepper: " + PEPPER + "\n  keyStore: data/keys.json\n");
  }

  private Path keyFile() {
    return dir.resolve("conf").resolve("data").resolve("keys.json");
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SpillwayCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String create(String consumer) {
    Run run = run("keys", "create", "--config", config.toString(), "--consumer", consumer);
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out().strip();
  }

  private FileKeyStore store() {
    return new FileKeyStore(keyFile(), new KeyHasher(PEPPER));
  }

  @Test
  void createPrintsTheKeyOnceAndStoresOnlyAHashNextToTheConfig() throws IOException {
    Run run = run("keys", "create", "--config", config.toString(), "--consumer", "search-app");

    assertThat(run.exit()).as(run.err()).isZero();
    String key = run.out().strip();
    assertThat(run.out()).isEqualTo(key + System.lineSeparator());
    assertThat(GatewayKeyFormat.parse(key)).isPresent();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("will not be shown again").doesNotContain(key);
    String secret = GatewayKeyFormat.parse(key).orElseThrow().secret();
    assertThat(Files.readString(keyFile())).doesNotContain(secret).doesNotContain(PEPPER);
    assertThat(store().authenticate(key)).contains("search-app");
  }

  @Test
  void rotateKeepsTheNewestPreviousKeyAndRevokesOlderOnes() {
    String first = create("search-app");
    Run second = run("keys", "rotate", "-c", config.toString(), "--consumer", "search-app");
    assertThat(second.exit()).as(second.err()).isZero();
    Run third = run("keys", "rotate", "-c", config.toString(), "--consumer", "search-app");
    assertThat(third.exit()).as(third.err()).isZero();

    String firstId = GatewayKeyFormat.parse(first).orElseThrow().keyId();
    assertThat(third.err()).contains("revoked: " + firstId).contains("will not be shown again");
    FileKeyStore store = store();
    assertThat(store.authenticate(first)).isEmpty();
    assertThat(store.authenticate(second.out().strip())).contains("search-app");
    assertThat(store.authenticate(third.out().strip())).contains("search-app");
  }

  @Test
  void revokeTakesEffectAndListShowsItWithoutSecrets() {
    String key = create("search-app");
    String other = create("billing");
    String keyId = GatewayKeyFormat.parse(key).orElseThrow().keyId();

    Run revoke = run("keys", "revoke", "-c", config.toString(), "--key-id", keyId);
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("revoked " + keyId + " (consumer search-app)");
    assertThat(store().authenticate(key)).isEmpty();
    assertThat(store().authenticate(other)).contains("billing");

    Run list = run("keys", "list", "-c", config.toString());
    assertThat(list.exit()).isZero();
    assertThat(list.out().lines().toList()).hasSize(3);
    assertThat(list.out()).contains("KEY ID", "CONSUMER", "CREATED", "REVOKED", keyId, "search-app", "billing");
    for (String plaintext : new String[] {key, other}) {
      assertThat(list.out() + list.err()).doesNotContain(GatewayKeyFormat.parse(plaintext).orElseThrow().secret());
    }
    KeyRecord revoked = store().list("search-app").getFirst();
    assertThat(list.out()).contains(revoked.revokedAt().orElseThrow().toString());

    Run filtered = run("keys", "list", "-c", config.toString(), "--consumer", "billing");
    assertThat(filtered.out()).doesNotContain("search-app").contains("billing");
  }

  @Test
  void userErrorsExitWithTwoAndAClearMessage() throws IOException {
    String key = create("search-app");
    String keyId = GatewayKeyFormat.parse(key).orElseThrow().keyId();
    assertThat(run("keys", "revoke", "-c", config.toString(), "--key-id", keyId).exit()).isZero();

    Run again = run("keys", "revoke", "-c", config.toString(), "--key-id", keyId);
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("already revoked");

    Run unknown = run("keys", "revoke", "-c", config.toString(), "--key-id", "ZZZZZZZZZZZZ");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("is not in");

    Run wholeKey = run("keys", "revoke", "-c", config.toString(), "--key-id", key);
    assertThat(wholeKey.exit()).isEqualTo(2);
    assertThat(wholeKey.err()).contains("--key-id").doesNotContain(GatewayKeyFormat.parse(key).orElseThrow().secret());

    Run noConsumer = run("keys", "create", "-c", config.toString(), "--consumer", "nobody");
    assertThat(noConsumer.exit()).isEqualTo(2);
    assertThat(noConsumer.err()).contains("consumer 'nobody' is not listed", "search-app, billing");
    assertThat(noConsumer.out()).isEmpty();

    Run missing = run("keys", "create", "-c", dir.resolve("missing.yaml").toString(), "--consumer", "search-app");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("file not found");

    Files.writeString(config, MODELS + "auth:\n  required: false\n");
    Run noPepper = run("keys", "create", "-c", config.toString(), "--consumer", "search-app");
    assertThat(noPepper.exit()).isEqualTo(2);
    assertThat(noPepper.err()).contains("auth.keyPepper is not set");
  }

  @Test
  void anUnreadableKeyFileExitsWithOneAndNamesIt() throws IOException {
    Files.createDirectories(keyFile().getParent());
    Files.writeString(keyFile(), "{ broken");

    Run run = run("keys", "list", "-c", config.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains(keyFile().toString()).doesNotContain("\tat ");
  }

  @Test
  void everyKeysCommandHasHelp() {
    for (String sub : new String[] {"create", "rotate", "revoke", "list"}) {
      Run run = run("keys", sub, "--help");
      assertThat(run.exit()).isZero();
      assertThat(run.out()).contains("Usage: spillway keys " + sub);
    }
    Run keys = run("keys", "--help");
    assertThat(keys.exit()).isZero();
    assertThat(keys.out()).contains("create", "rotate", "revoke", "list");
    assertThat(run("keys").exit()).isEqualTo(2);
  }
}
