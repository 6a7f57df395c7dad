package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP exchange with a token endpoint (Entra ID, the instance metadata service, App Service's
 * identity endpoint): send, read a capped body, and turn every I/O failure into a {@link
 * CredentialUnavailableException} that names the endpoint but carries nothing from the body.
 */
final class TokenHttp {
  /** Connect and idle limit for one token request. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** A token response is a few KiB; more is refused rather than buffered. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private TokenHttp() {}

  /** A status and the body that came with it. */
  record Reply(int status, Buffer body) {}

  /** A form POST to {@code url}, asking for JSON. */
  static RequestOptions formPost(URI url) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url.toString())
        .setConnectTimeout(REQUEST_TIMEOUT.toMillis())
        .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
        .putHeader(HttpHeaders.ACCEPT, "application/json");
  }

  /** A GET of {@code url}, asking for JSON. */
  static RequestOptions get(String url) {
    return new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        .setConnectTimeout(REQUEST_TIMEOUT.toMillis())
        .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
        .putHeader(HttpHeaders.ACCEPT, "application/json");
  }

  /**
   * Sends {@code options} with {@code body} (null for none) and collects the reply.
   *
   * @param label how messages name the endpoint, for example {@code token endpoint https://...}
   */
  static Future<Reply> send(HttpClient client, RequestOptions options, Buffer body, String label) {
    Future<HttpClientRequest> requested;
    try {
      requested = client.request(options);
    } catch (RuntimeException closed) {
      return Future.failedFuture(unreachable(label, closed));
    }
    // readCapped must be attached in send()'s own callback: one future further down the chain the
    // response may already have ended, and its body would be lost.
    return requested
        .compose(
            request ->
                (body == null ? request.send() : request.send(body))
                    .compose(response -> readCapped(response, label).map(b -> new Reply(response.statusCode(), b))))
        .recover(
            failure ->
                Future.failedFuture(failure instanceof CredentialUnavailableException ? failure : unreachable(label, failure)));
  }

  private static Future<Buffer> readCapped(HttpClientResponse response, String label) {
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    response.handler(
        chunk -> {
          if (collected.length() + chunk.length() > MAX_RESPONSE_BYTES) {
            if (body.tryFail(
                new CredentialUnavailableException(
                    label + " answered " + response.statusCode() + " with a body over " + MAX_RESPONSE_BYTES + " bytes"))) {
              response.request().reset();
            }
          } else {
            collected.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(
        e -> body.tryFail(new CredentialUnavailableException(label + " broke off its answer (" + e.getClass().getSimpleName() + ")", e)));
    response.endHandler(v -> body.tryComplete(collected));
    return body.future();
  }

  private static CredentialUnavailableException unreachable(String label, Throwable ioFailure) {
    return new CredentialUnavailableException(
        label + " unreachable (" + ioFailure.getClass().getSimpleName() + ": " + ioFailure.getMessage() + ")", ioFailure);
  }

  /** {@code url} without query or user info: what messages name. */
  static String printable(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + url.getRawPath();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
