package dev.spillway.gateway.credentials;

import dev.spillway.core.config.ManagedIdentityCredentials;
import dev.spillway.core.config.ManagedIdentityCredentials.Protocol;
import dev.spillway.core.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A managed identity's token from the host's local endpoint: the instance metadata service ({@code
 * GET ...?api-version=2018-02-01&resource=...} with {@code Metadata: true}) on VMs, scale sets and
 * AKS nodes, or App Service's identity endpoint ({@code api-version=2019-08-01} with {@code
 * X-IDENTITY-HEADER}). A user-assigned identity is named by client id, object id or resource id.
 *
 * <p>Answers that Azure documents as passing (404 while the endpoint updates, 408, 410, 429,
 * 5xx) are retried up to {@link #MAX_RETRIES} times after 1, 2 and 4 s on the injected {@link
 * Scheduler}; other answers and connection failures are reported at once.
 */
final class ManagedIdentitySource implements CredentialSource {
  static final int MAX_RETRIES = 3;
  static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);

  private final HttpClient client;
  private final ManagedIdentityCredentials identity;
  private final Scheduler scheduler;
  private final Clock clock;
  private final String url;
  private final String label;

  ManagedIdentitySource(HttpClient client, ManagedIdentityCredentials identity, Scheduler scheduler, Clock clock) {
    this.client = client;
    this.identity = identity;
    this.scheduler = scheduler;
    this.clock = clock;
    this.url = url(identity);
    this.label = "managed identity endpoint " + TokenHttp.printable(identity.endpoint());
  }

  /** The endpoint with the protocol's api-version, the resource and the user-assigned identity, if any. */
  static String url(ManagedIdentityCredentials identity) {
    boolean imds = identity.protocol() == Protocol.IMDS;
    String base = identity.endpoint().toString();
    StringBuilder url = new StringBuilder(base).append(base.contains("?") ? '&' : '?');
    url.append("api-version=").append(imds ? "2018-02-01" : "2019-08-01");
    url.append("&resource=").append(TokenHttp.encode(identity.resource()));
    identity.userAssigned().ifPresent(id -> {
      String parameter =
          switch (id.kind()) {
            case CLIENT_ID -> "client_id";
            case OBJECT_ID -> imds ? "object_id" : "principal_id";
            case RESOURCE_ID -> imds ? "msi_res_id" : "mi_res_id";
          };
      url.append('&').append(parameter).append('=').append(TokenHttp.encode(id.value()));
    });
    return url.toString();
  }

  /**
   * How long to wait before retry number {@code retriesDone + 1} after an answer with {@code
   * status}; empty when it is not worth retrying. A pure function of its arguments.
   */
  static Optional<Duration> retryDelay(int status, int retriesDone) {
    boolean passing = status == 404 || status == 408 || status == 410 || status == 429 || status >= 500;
    if (!passing || retriesDone >= MAX_RETRIES) {
      return Optional.empty();
    }
    return Optional.of(FIRST_RETRY_DELAY.multipliedBy(1L << retriesDone));
  }

  @Override
  public Future<CachedCredential> fetch() {
    Promise<CachedCredential> result = Promise.promise();
    attempt(0, result);
    return result.future();
  }

  private void attempt(int retriesDone, Promise<CachedCredential> result) {
    long startedAt = scheduler.ticker().read();
    TokenHttp.send(client, request(), null, label)
        .onComplete(
            sent -> {
              if (sent.failed()) {
                result.fail(sent.cause());
                return;
              }
              Optional<Duration> delay = retryDelay(sent.result().status(), retriesDone);
              if (delay.isPresent()) {
                scheduler.schedule(delay.get().toNanos(), () -> attempt(retriesDone + 1, result));
              } else {
                TokenReply.toCredential(sent.result(), startedAt, clock, label).onComplete(result);
              }
            });
  }

  private RequestOptions request() {
    RequestOptions options = TokenHttp.get(url);
    if (identity.protocol() == Protocol.IMDS) {
      options.putHeader("Metadata", "true");
    } else {
      options.putHeader("X-IDENTITY-HEADER", identity.identityHeader().orElseThrow());
    }
    return options;
  }

  @Override
  public String toString() {
    return "managedIdentity[endpoint=" + TokenHttp.printable(identity.endpoint()) + ", protocol=" + identity.protocol()
        + identity.userAssigned().map(id -> ", " + id.kind() + "=" + id.value()).orElse(", systemAssigned")
        + ", resource=" + identity.resource() + "]";
  }
}
