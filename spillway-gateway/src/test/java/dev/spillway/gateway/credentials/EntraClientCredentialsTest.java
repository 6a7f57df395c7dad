package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.CLIENT_ID;
import static dev.spillway.gateway.credentials.FakeTokenEndpoint.CLIENT_SECRET;
import static dev.spillway.gateway.credentials.FakeTokenEndpoint.SCOPE;
import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.EntraCredentials;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualTicker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EntraClientCredentialsTest {
  private static final CredentialHeader TOKEN_1 = new CredentialHeader("authorization", "Bearer token-1");
  private static final CredentialHeader TOKEN_2 = new CredentialHeader("authorization", "Bearer token-2");

  private Vertx vertx;
  private HttpClient client;
  private FakeTokenEndpoint endpoint;
  private final ManualTicker ticker = new ManualTicker();
  private BackendCredential credential;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    endpoint = FakeTokenEndpoint.start(vertx);
    credential = entra(BackendType.AZURE, endpoint.tokenUrl());
  }

  @AfterEach
  void stop() {
    endpoint.close();
    await(vertx.close());
  }

  @Test
  void hundredConcurrentColdCallsShareOneTokenRequest() throws Exception {
    endpoint.hold();
    List<Future<Optional<CredentialHeader>>> calls = callConcurrently(100);

    await(endpoint.arrived(1));
    assertThat(calls).noneMatch(Future::isComplete);
    endpoint.release();

    assertThat(calls).allSatisfy(call -> assertThat(await(call)).contains(TOKEN_1));
    assertThat(endpoint.requests()).isEqualTo(1);
    assertThat(endpoint.badForms()).isZero();
  }

  @Test
  void waitingCallersAreCompletedOnTheirOwnContext() {
    endpoint.hold();
    List<Context> contexts = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext(), vertx.getOrCreateContext());
    AtomicInteger onOwnContext = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(contexts.size());
    for (Context context : contexts) {
      context.runOnContext(
          v ->
              credential
                  .header()
                  .onComplete(
                      ar -> {
                        if (ar.succeeded() && Vertx.currentContext() == context) {
                          onOwnContext.incrementAndGet();
                        }
                        done.countDown();
                      }));
    }
    await(endpoint.arrived(1));
    endpoint.release();

    awaitLatch(done);
    assertThat(onOwnContext).hasValue(contexts.size());
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void cachedTokenIsReusedUntilTheRefreshWindow() {
    assertThat(await(credential.header())).contains(TOKEN_1);

    ticker.advance(Duration.ofMinutes(53));
    Future<Optional<CredentialHeader>> later = credential.header();

    assertThat(later.isComplete()).isTrue();
    assertThat(later.result()).contains(TOKEN_1);
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void refreshAheadServesTheOldTokenWhileOneBackgroundFetchRuns() throws Exception {
    assertThat(await(credential.header())).contains(TOKEN_1);
    ticker.advance(Duration.ofMinutes(55)); // inside the last max(5 min, 6 min) of a 60 min token
    endpoint.hold();

    List<Future<Optional<CredentialHeader>>> calls = callConcurrently(100);

    assertThat(calls).allSatisfy(call -> assertThat(call.result()).contains(TOKEN_1));
    await(endpoint.arrived(2));
    endpoint.release();
    await(refreshing().whenIdle());
    assertThat(await(credential.header())).contains(TOKEN_2);
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void afterExpiryCallersWaitForOneFetch() throws Exception {
    assertThat(await(credential.header())).contains(TOKEN_1);
    ticker.advance(Duration.ofMinutes(60));
    endpoint.hold();

    List<Future<Optional<CredentialHeader>>> calls = callConcurrently(100);

    await(endpoint.arrived(2));
    assertThat(calls).noneMatch(Future::isComplete);
    endpoint.release();
    assertThat(calls).allSatisfy(call -> assertThat(await(call)).contains(TOKEN_2));
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void invalidateMakesTheNextCallsFetchExactlyOnce() throws Exception {
    assertThat(await(credential.header())).contains(TOKEN_1);
    credential.invalidate();
    endpoint.hold();

    List<Future<Optional<CredentialHeader>>> calls = callConcurrently(100);

    await(endpoint.arrived(2));
    endpoint.release();
    assertThat(calls).allSatisfy(call -> assertThat(await(call)).contains(TOKEN_2));
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void lateRejectionsOfAReplacedTokenDoNotDiscardTheFreshOne() {
    CredentialHeader rejected = await(credential.header()).orElseThrow();

    credential.invalidate(rejected);
    assertThat(await(credential.header())).contains(TOKEN_2);
    credential.invalidate(rejected); // a second 401 for the old token, arriving after the refresh
    credential.invalidate(rejected);

    assertThat(await(credential.header())).contains(TOKEN_2);
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void failingEndpointFailsWithAMessageThatNamesItButNoSecret() {
    endpoint.failWith(500, "{\"echo\":\"" + CLIENT_SECRET + "\",\"access_token\":\"leaked-token\"}");

    Throwable failure = failureOf(credential.header());

    assertThat(failure)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("token endpoint http://127.0.0.1:" + endpoint.tokenUrl().getPort() + "/tenant-1/oauth2/v2.0/token answered 500");
    assertNoSecretIn(failure);
  }

  @Test
  void oauthErrorCodesAreReportedButNotTheirDescriptions() {
    endpoint.failWith(
        401,
        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided: "
            + CLIENT_SECRET
            + "\",\"error_codes\":[7000215]}");

    Throwable failure = failureOf(credential.header());

    assertThat(failure.getMessage()).endsWith("answered 401 (invalid_client, AADSTS7000215)");
    assertNoSecretIn(failure);
  }

  @Test
  void stillValidTokenIsServedWhileTheEndpointFails() {
    assertThat(await(credential.header())).contains(TOKEN_1);
    endpoint.failWith(500, "");
    ticker.advance(Duration.ofMinutes(55));

    assertThat(await(credential.header())).contains(TOKEN_1); // starts a background refresh
    await(refreshing().whenIdle());
    assertThat(await(credential.header())).contains(TOKEN_1); // backing off: no new request
    assertThat(endpoint.requests()).isEqualTo(2);

    ticker.advance(RefreshingCredential.FAILED_REFRESH_BACKOFF);
    assertThat(await(credential.header())).contains(TOKEN_1); // retries in the background
    await(refreshing().whenIdle());
    assertThat(endpoint.requests()).isEqualTo(3);

    ticker.advance(Duration.ofMinutes(5)); // past expiry: nothing left to serve
    assertThat(failureOf(credential.header())).hasMessageEndingWith("answered 500");

    endpoint.succeed();
    assertThat(await(credential.header())).contains(new CredentialHeader("authorization", "Bearer token-5"));
  }

  @Test
  void malformedTokenResponsesFailWithoutEchoingTheBody() {
    endpoint.failWith(200, "not json " + CLIENT_SECRET);
    Throwable notJson = failureOf(credential.header());
    assertThat(notJson).hasMessageEndingWith("answered 200 with a body that is not a JSON object");
    assertNoSecretIn(notJson);

    endpoint.failWith(200, "{\"access_token\":\"leaked-token\",\"token_type\":\"Bearer\"}");
    Throwable noExpiry = failureOf(credential.header());
    assertThat(noExpiry).hasMessageEndingWith("answered 200 without a positive expires_in");
    assertNoSecretIn(noExpiry);
  }

  @Test
  void unreachableEndpointIsReportedAsSuch() {
    URI closed = endpoint.tokenUrl();
    endpoint.close();

    Throwable failure = failureOf(credential.header());

    assertThat(failure).hasMessageStartingWith("token endpoint http://127.0.0.1:" + closed.getPort() + "/tenant-1/oauth2/v2.0/token unreachable");
    assertNoSecretIn(failure);
  }

  @Test
  void openAiBackendsGetTheSameBearerHeader() {
    BackendCredential openai = entra(BackendType.OPENAI, endpoint.tokenUrl());

    assertThat(await(openai.header())).contains(TOKEN_1);
  }

  @Test
  void toStringShowsWhereTheTokenComesFromButNotTheSecretOrToken() {
    await(credential.header());

    assertThat(credential.toString())
        .contains("backend=b1", "clientId=" + CLIENT_ID, "clientSecret=***")
        .doesNotContain(CLIENT_SECRET, "token-1");
  }

  private BackendCredential entra(BackendType type, URI tokenUrl) {
    EntraCredentials entra = new EntraCredentials(tokenUrl, CLIENT_ID, CLIENT_SECRET, SCOPE);
    BackendConfig backend =
        BackendConfig.builder()
            .id("b1")
            .type(type)
            .url(URI.create("https://example.invalid"))
            .deployment("gpt-4o")
            .auth(new BackendAuth(Optional.empty(), Optional.empty(), Optional.of(entra)))
            .tier(Tier.PTU)
            .priority(1)
            .region("test")
            .build();
    return BackendCredentials.of(vertx, client, backend, ticker);
  }

  private RefreshingCredential refreshing() {
    return (RefreshingCredential) credential;
  }

  /** {@code count} calls to {@code header()} from as many threads, released together. */
  private List<Future<Optional<CredentialHeader>>> callConcurrently(int count) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch ready = new CountDownLatch(count);
      CountDownLatch go = new CountDownLatch(1);
      List<java.util.concurrent.Future<Future<Optional<CredentialHeader>>>> submitted = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        submitted.add(
            threads.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return credential.header();
                }));
      }
      awaitLatch(ready);
      go.countDown();
      List<Future<Optional<CredentialHeader>>> calls = new ArrayList<>();
      for (var call : submitted) {
        calls.add(call.get(10, TimeUnit.SECONDS));
      }
      return calls;
    } finally {
      threads.shutdownNow();
    }
  }

  private static Throwable failureOf(Future<?> future) {
    return catchThrowable(() -> await(future));
  }

  private static void assertNoSecretIn(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(CLIENT_SECRET, "leaked-token");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
