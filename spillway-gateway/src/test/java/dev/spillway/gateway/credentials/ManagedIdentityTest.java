package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ManagedIdentityCredentials;
import dev.spillway.core.config.ManagedIdentityCredentials.IdKind;
import dev.spillway.core.config.ManagedIdentityCredentials.Protocol;
import dev.spillway.core.config.ManagedIdentityCredentials.UserAssigned;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.credentials.LookAlikeTokenServer.Seen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed identity against a look-alike of the instance metadata service and of App Service's
 * identity endpoint on loopback: the request shape Azure documents, caching and refresh ahead of
 * expiry on a manual ticker, retries of passing failures on a manual scheduler (no sleeps), and
 * failures that name the endpoint but carry nothing from the body.
 */
class ManagedIdentityTest {
  private static final String IMDS_PATH = "/metadata/identity/oauth2/token";
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private final ManualTicker ticker = new ManualTicker(1_000_000_000L);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private Vertx vertx;
  private HttpClient client;
  private LookAlikeTokenServer imds;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    imds = LookAlikeTokenServer.imds(vertx, "mi-token");
  }

  @AfterEach
  void stop() {
    imds.close();
    await(vertx.close());
  }

  @Test
  void systemAssignedIdentityAsksTheMetadataServiceTheDocumentedWay() {
    BackendCredential credential = credential(imdsIdentity(Optional.empty()));

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("mi-token-1"));

    Seen request = imds.last();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo(IMDS_PATH);
    assertThat(request.headers().get("Metadata")).isEqualTo("true");
    assertThat(request.query().get("api-version")).isEqualTo("2018-02-01");
    assertThat(request.query().get("resource")).isEqualTo("https://cognitiveservices.azure.com");
    assertThat(request.query().names()).containsExactlyInAnyOrder("api-version", "resource");
  }

  @Test
  void aUserAssignedIdentityIsNamedByClientIdObjectIdOrResourceId() {
    String resourceId = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/gw";
    await(credential(imdsIdentity(Optional.of(new UserAssigned(IdKind.CLIENT_ID, "client-guid")))).header());
    assertThat(imds.last().query().get("client_id")).isEqualTo("client-guid");

    await(credential(imdsIdentity(Optional.of(new UserAssigned(IdKind.OBJECT_ID, "object-guid")))).header());
    assertThat(imds.last().query().get("object_id")).isEqualTo("object-guid");

    await(credential(imdsIdentity(Optional.of(new UserAssigned(IdKind.RESOURCE_ID, resourceId)))).header());
    assertThat(imds.last().query().get("msi_res_id")).isEqualTo(resourceId);
  }

  @Test
  void callersArrivingWhileTheMetadataServiceIsAskedShareOneRequest() {
    imds.thenAnswer(503, "{}"); // keeps the first fetch open until the scheduler runs its retry
    BackendCredential credential = credential(imdsIdentity(Optional.empty()));

    List<Future<Optional<CredentialHeader>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(credential.header());
    }
    awaitTrue("a retry is scheduled", () -> scheduler.pending() == 1);
    assertThat(calls).noneMatch(Future::isComplete);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(calls).allSatisfy(call -> assertThat(await(call)).contains(CredentialHeader.bearer("mi-token-2")));
    assertThat(imds.seen()).hasSize(2);
  }

  @Test
  void theTokenIsCachedAndRefreshedAheadOfItsExpiryByOneBackgroundFetch() {
    BackendCredential credential = credential(imdsIdentity(Optional.empty()));
    assertThat(await(credential.header())).contains(CredentialHeader.bearer("mi-token-1"));

    ticker.advance(Duration.ofMinutes(53));
    Future<Optional<CredentialHeader>> cached = credential.header();
    assertThat(cached.isComplete()).as("served from the cache at once").isTrue();
    assertThat(imds.seen()).hasSize(1);

    ticker.advance(Duration.ofMinutes(2)); // 55 of 60 minutes: inside the refresh-ahead window
    assertThat(credential.header().result()).contains(CredentialHeader.bearer("mi-token-1"));
    assertThat(credential.header().result()).contains(CredentialHeader.bearer("mi-token-1"));
    await(((RefreshingCredential) credential).whenIdle());

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("mi-token-2"));
    assertThat(imds.seen()).hasSize(2);
  }

  @Test
  void passingFailuresAreRetriedAfterOneTwoAndFourSecondsOnTheScheduler() {
    imds.thenAnswer(503, "{}").thenAnswer(429, "{}").thenAnswer(410, "{}");
    BackendCredential credential = credential(imdsIdentity(Optional.empty()));

    Future<Optional<CredentialHeader>> header = credential.header();
    for (long seconds : new long[] {1, 2, 4}) {
      awaitTrue("a retry is scheduled", () -> scheduler.pending() == 1);
      assertThat(scheduler.nanosUntilNext()).isEqualTo(Duration.ofSeconds(seconds).toNanos());
      assertThat(header.isComplete()).isFalse();
      scheduler.advance(Duration.ofSeconds(seconds));
    }

    assertThat(await(header)).contains(CredentialHeader.bearer("mi-token-4"));
    assertThat(imds.seen()).hasSize(4);
  }

  @Test
  void afterThreeRetriesTheLastAnswerIsReported() {
    for (int i = 0; i < 4; i++) {
      imds.thenAnswer(500, "{\"error\":\"server_error\",\"error_description\":\"leaked-detail\"}");
    }
    BackendCredential credential = credential(imdsIdentity(Optional.empty()));

    Future<Optional<CredentialHeader>> header = credential.header();
    for (int i = 0; i < 3; i++) {
      awaitTrue("a retry is scheduled", () -> scheduler.pending() == 1);
      scheduler.advance(Duration.ofSeconds(4));
    }

    Throwable failure = catchThrowable(() -> await(header));
    assertThat(failure)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("managed identity endpoint " + imds.url(IMDS_PATH) + " answered 500 (server_error)");
    assertThat(failure.getMessage()).doesNotContain("leaked-detail");
    assertThat(imds.seen()).hasSize(4);
  }

  @Test
  void aRequestMistakeIsNotRetried() {
    imds.thenAnswer(400, "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");
    BackendCredential credential = credential(imdsIdentity(Optional.of(new UserAssigned(IdKind.CLIENT_ID, "unknown"))));

    assertThat(catchThrowable(() -> await(credential.header())))
        .hasMessage("managed identity endpoint " + imds.url(IMDS_PATH) + " answered 400 (invalid_request)");
    assertThat(scheduler.pending()).isZero();
    assertThat(imds.seen()).hasSize(1);
  }

  @Test
  void aCredentialThatCannotBeObtainedIsLoggedOncePerBackoffPeriodWithoutTheBody() {
    for (int i = 0; i < 3; i++) {
      imds.thenAnswer(403, "{\"error\":\"forbidden\",\"error_description\":\"leaked-detail\"}");
    }
    BackendCredential credential = credential(imdsIdentity(Optional.empty()));
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("spillway.credentials");
    java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            lines.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      catchThrowable(() -> await(credential.header()));
      catchThrowable(() -> await(credential.header())); // within the backoff period: not logged again
      ticker.advance(RefreshingCredential.FAILED_REFRESH_BACKOFF);
      catchThrowable(() -> await(credential.header()));
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(imds.seen()).hasSize(3);
    assertThat(lines)
        .containsExactly(
            "backend mi: no credential: managed identity endpoint " + imds.url(IMDS_PATH) + " answered 403 (forbidden)",
            "backend mi: no credential: managed identity endpoint " + imds.url(IMDS_PATH) + " answered 403 (forbidden)");
  }

  @Test
  void appServiceIsAskedWithItsIdentityHeaderAndItsExpiresOnIsReadOnTheClock() {
    String secret = "app-service-identity-header-secret";
    long expiresOn = NOW.plus(Duration.ofMinutes(90)).getEpochSecond();
    imds.tokens(
        n -> new JsonObject().put("access_token", "app-token-" + n).put("expires_on", String.valueOf(expiresOn))
            .put("resource", "https://cognitiveservices.azure.com").put("token_type", "Bearer").put("client_id", "c"));
    ManagedIdentityCredentials appService =
        new ManagedIdentityCredentials(
            Protocol.APP_SERVICE,
            imds.url("/msi/token"),
            Optional.of(secret),
            Optional.of(new UserAssigned(IdKind.OBJECT_ID, "object-guid")),
            ManagedIdentityCredentials.COGNITIVE_SERVICES_RESOURCE);
    BackendCredential credential = credential(appService);

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("app-token-1"));
    Seen request = imds.last();
    assertThat(request.path()).isEqualTo("/msi/token");
    assertThat(request.headers().get("X-IDENTITY-HEADER")).isEqualTo(secret);
    assertThat(request.headers().contains("Metadata")).isFalse();
    assertThat(request.query().get("api-version")).isEqualTo("2019-08-01");
    assertThat(request.query().get("principal_id")).isEqualTo("object-guid");

    // 90 minutes from now: refreshed 9 minutes (10 %) before, not at the 55th minute of an hour.
    ticker.advance(Duration.ofMinutes(80));
    assertThat(credential.header().result()).contains(CredentialHeader.bearer("app-token-1"));
    assertThat(imds.seen()).hasSize(1);
    assertThat(credential.toString()).doesNotContain(secret);
  }

  @Test
  void anUnreachableEndpointIsReportedAtOnceWithoutRetries() {
    URI closed = imds.url(IMDS_PATH);
    imds.close();
    BackendCredential credential = credential(ManagedIdentityCredentials.imds(closed, Optional.empty(), "https://cognitiveservices.azure.com"));

    assertThat(catchThrowable(() -> await(credential.header())))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageStartingWith("managed identity endpoint " + closed + " unreachable");
    assertThat(scheduler.pending()).isZero();
    imds = LookAlikeTokenServer.imds(vertx, "unused"); // for stop()
  }

  @Test
  void retryDelaysArePureAndFollowAzuresGuidance() {
    assertThat(ManagedIdentitySource.retryDelay(404, 0)).contains(Duration.ofSeconds(1));
    assertThat(ManagedIdentitySource.retryDelay(429, 1)).contains(Duration.ofSeconds(2));
    assertThat(ManagedIdentitySource.retryDelay(503, 2)).contains(Duration.ofSeconds(4));
    assertThat(ManagedIdentitySource.retryDelay(503, 3)).isEmpty();
    assertThat(ManagedIdentitySource.retryDelay(400, 0)).isEmpty();
    assertThat(ManagedIdentitySource.retryDelay(403, 0)).isEmpty();
    assertThat(ManagedIdentitySource.retryDelay(200, 0)).isEmpty();
  }

  private ManagedIdentityCredentials imdsIdentity(Optional<UserAssigned> userAssigned) {
    return ManagedIdentityCredentials.imds(
        imds.url(IMDS_PATH), userAssigned, ManagedIdentityCredentials.resourceOf("https://cognitiveservices.azure.com/.default"));
  }

  private BackendCredential credential(ManagedIdentityCredentials identity) {
    BackendConfig backend =
        BackendConfig.builder()
            .id("mi")
            .type(BackendType.AZURE)
            .url(URI.create("https://example.invalid"))
            .deployment("gpt-4o")
            .auth(BackendAuth.of(identity))
            .tier(Tier.PTU)
            .priority(1)
            .region("test")
            .build();
    return BackendCredentials.of(vertx, client, backend, ticker, clock, scheduler);
  }

  /** Polls {@code condition} for up to 10 s: the look-alike answers over real HTTP. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
