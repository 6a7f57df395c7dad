package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualTicker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileCredentialTest {
  @TempDir Path dir;
  private Vertx vertx;
  private final ManualTicker ticker = new ManualTicker();
  private Path keyFile;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    keyFile = dir.resolve("api-key");
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void readsTheTrimmedKeyAsAzureApiKeyHeader() throws IOException {
    Files.writeString(keyFile, "  key-one \n");

    assertThat(await(fileCredential(BackendType.AZURE).header())).contains(new CredentialHeader("api-key", "key-one"));
  }

  @Test
  void openAiBackendsGetTheKeyAsBearer() throws IOException {
    Files.writeString(keyFile, "key-one\n");

    assertThat(await(fileCredential(BackendType.OPENAI).header()))
        .contains(new CredentialHeader("authorization", "Bearer key-one"));
  }

  @Test
  void rereadsTheFileAfterInvalidate() throws IOException {
    Files.writeString(keyFile, "key-one");
    BackendCredential credential = fileCredential(BackendType.AZURE);
    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-one"));

    Files.writeString(keyFile, "key-two");
    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-one"));
    credential.invalidate();

    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-two"));
  }

  @Test
  void rereadsTheFileOnceItIsOlderThanSixtySeconds() throws IOException {
    Files.writeString(keyFile, "key-one");
    BackendCredential credential = fileCredential(BackendType.AZURE);
    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-one"));
    Files.writeString(keyFile, "key-two");

    ticker.advance(Duration.ofSeconds(59));
    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-one"));
    ticker.advance(Duration.ofSeconds(1));

    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-two"));
  }

  @Test
  void concurrentColdCallsAllGetTheSameKey() throws IOException {
    Files.writeString(keyFile, "key-one");
    BackendCredential credential = fileCredential(BackendType.AZURE);

    List<Future<Optional<CredentialHeader>>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(credential.header());
    }

    assertThat(calls).allSatisfy(call -> assertThat(await(call)).contains(new CredentialHeader("api-key", "key-one")));
  }

  @Test
  void missingFileFailsNamingTheFile() {
    Throwable failure = catchThrowable(() -> await(fileCredential(BackendType.AZURE).header()));

    assertThat(failure)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("cannot read api key file " + keyFile + " (NoSuchFileException)");
  }

  @Test
  void emptyFileFailsNamingTheFile() throws IOException {
    Files.writeString(keyFile, " \n ");

    assertThat(catchThrowable(() -> await(fileCredential(BackendType.AZURE).header())))
        .hasMessage("api key file " + keyFile + " is empty");
  }

  @Test
  void fileWithMoreThanAKeyFailsWithoutShowingItsContent() throws IOException {
    Files.writeString(keyFile, "secret-line-one\nsecret-line-two\n");

    Throwable failure = catchThrowable(() -> await(fileCredential(BackendType.AZURE).header()));

    assertThat(failure).hasMessageStartingWith("api key file " + keyFile + " must hold the key alone");
    assertThat(failure.getMessage()).doesNotContain("secret-line");
  }

  @Test
  void aFileThatAppearsLaterIsPickedUp() throws IOException {
    BackendCredential credential = fileCredential(BackendType.AZURE);
    assertThat(catchThrowable(() -> await(credential.header()))).isInstanceOf(CredentialUnavailableException.class);

    Files.writeString(keyFile, "key-one");

    assertThat(await(credential.header())).contains(new CredentialHeader("api-key", "key-one"));
  }

  @Test
  void toStringNamesTheFileButNotTheKey() throws IOException {
    Files.writeString(keyFile, "key-one");
    BackendCredential credential = fileCredential(BackendType.AZURE);
    await(credential.header());

    assertThat(credential.toString()).contains("backend=b1", keyFile.toString()).doesNotContain("key-one");
  }

  private BackendCredential fileCredential(BackendType type) {
    BackendConfig backend =
        BackendConfig.builder()
            .id("b1")
            .type(type)
            .url(URI.create("https://example.invalid"))
            .deployment("gpt-4o")
            .auth(new BackendAuth(Optional.empty(), Optional.of(keyFile), Optional.empty()))
            .tier(Tier.PAYG)
            .priority(1)
            .region("test")
            .build();
    return BackendCredentials.of(vertx, vertx.createHttpClient(), backend, ticker);
  }
}
