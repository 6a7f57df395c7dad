package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spillway.core.config.AzureIdentity;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.EntraCredentials;
import dev.spillway.core.config.Tier;
import dev.spillway.core.config.WorkloadIdentityCredentials;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.credentials.LookAlikeTokenServer.Seen;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AKS workload identity against a look-alike Entra token endpoint on loopback: the federated token
 * file is sent as the client assertion, read again for every exchange (the kubelet rotates it), and
 * never shows up in a failure.
 */
class WorkloadIdentityTest {
  private static final String TENANT = "tenant-1";
  private static final String CLIENT_ID = "wi-client-id";
  private static final String FIRST_K8S_TOKEN = "eyJhbGciOiJSUzI1NiJ9.first-projected-token.sig";
  private static final String ROTATED_K8S_TOKEN = "eyJhbGciOiJSUzI1NiJ9.rotated-projected-token.sig";

  @TempDir Path dir;
  private final ManualTicker ticker = new ManualTicker(1_000_000_000L);
  private Vertx vertx;
  private LookAlikeTokenServer entra;
  private Path tokenFile;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    entra = LookAlikeTokenServer.entra(vertx, "wi-access");
    tokenFile = Files.writeString(dir.resolve("azure-identity-token"), FIRST_K8S_TOKEN + "\n");
  }

  @AfterEach
  void stop() {
    entra.close();
    await(vertx.close());
  }

  @Test
  void theFederatedTokenIsSentAsAClientAssertionInTheClientCredentialsForm() {
    BackendCredential credential = credential();

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("wi-access-1"));

    Seen request = entra.last();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
    assertThat(request.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.form().get("grant_type")).isEqualTo("client_credentials");
    assertThat(request.form().get("client_id")).isEqualTo(CLIENT_ID);
    assertThat(request.form().get("scope")).isEqualTo(EntraCredentials.COGNITIVE_SERVICES_SCOPE);
    assertThat(request.form().get("client_assertion_type")).isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assertThat(request.form().get("client_assertion")).isEqualTo(FIRST_K8S_TOKEN);
    assertThat(request.form().contains("client_secret")).isFalse();
  }

  @Test
  void aRotatedTokenFileIsReadForTheNextExchange() throws Exception {
    BackendCredential credential = credential();
    assertThat(await(credential.header())).contains(CredentialHeader.bearer("wi-access-1"));

    Files.writeString(tokenFile, ROTATED_K8S_TOKEN);
    ticker.advance(Duration.ofMinutes(56)); // inside the refresh-ahead window of the hour-long token
    assertThat(credential.header().result()).contains(CredentialHeader.bearer("wi-access-1"));
    await(((RefreshingCredential) credential).whenIdle());

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("wi-access-2"));
    List<Seen> seen = entra.seen();
    assertThat(seen).extracting(s -> s.form().get("client_assertion")).containsExactly(FIRST_K8S_TOKEN, ROTATED_K8S_TOKEN);
  }

  @Test
  void aMissingOrEmptyTokenFileFailsNamingTheFileButNoToken() throws Exception {
    BackendCredential credential = credential();
    Files.delete(tokenFile);

    assertThat(catchThrowable(() -> await(credential.header())))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("cannot read workload identity token file " + tokenFile + " (NoSuchFileException)");

    Files.writeString(tokenFile, "  \n");
    assertThat(catchThrowable(() -> await(credential.header())))
        .hasMessage("workload identity token file " + tokenFile + " is empty");
    assertThat(entra.seen()).isEmpty();
  }

  @Test
  void aRefusedAssertionIsReportedWithTheOauthCodesOnly() {
    entra.thenAnswer(
        401,
        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700213: No matching federated identity record found"
            + " for presented assertion " + FIRST_K8S_TOKEN + "\",\"error_codes\":[700213]}");
    BackendCredential credential = credential();

    Throwable failure = catchThrowable(() -> await(credential.header()));

    assertThat(failure)
        .hasMessage("token endpoint " + entra.url("/" + TENANT + "/oauth2/v2.0/token") + " answered 401 (invalid_client, AADSTS700213)");
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(FIRST_K8S_TOKEN);
    assertThat(credential.toString()).contains("tokenFile=" + tokenFile, "clientId=" + CLIENT_ID).doesNotContain(FIRST_K8S_TOKEN);
  }

  private BackendCredential credential() {
    WorkloadIdentityCredentials identity =
        new WorkloadIdentityCredentials(
            AzureIdentity.tokenUrl(entra.url("/"), TENANT), CLIENT_ID, tokenFile, EntraCredentials.COGNITIVE_SERVICES_SCOPE);
    BackendConfig backend =
        BackendConfig.builder()
            .id("wi")
            .type(BackendType.AZURE)
            .url(URI.create("https://example.invalid"))
            .deployment("gpt-4o")
            .auth(BackendAuth.of(identity))
            .tier(Tier.PTU)
            .priority(1)
            .region("test")
            .build();
    return BackendCredentials.of(vertx, vertx.createHttpClient(), backend, ticker, Clock.systemUTC(), new ManualScheduler(ticker));
  }
}
