package dev.spillway.gateway.credentials;

import dev.spillway.core.config.EntraCredentials;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * An Entra ID access token obtained with the OAuth 2.0 client-credentials grant: one form POST to
 * the token endpoint with the client id, client secret and scope.
 *
 * <p>Nothing from the response body goes into an error message except the OAuth {@code error}
 * code and numeric Entra error codes, because a body may echo a token. Parse errors are reported
 * without their cause for the same reason.
 */
final class EntraTokenSource implements CredentialSource {
  /** Connect and idle limit for one token request. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** A token response is a few KiB; more is refused rather than buffered. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private static final Pattern OAUTH_ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");

  private final HttpClient client;
  private final EntraCredentials credentials;
  private final Ticker ticker;
  /** The endpoint without query or user info: what messages name. */
  private final String endpoint;

  EntraTokenSource(HttpClient client, EntraCredentials credentials, Ticker ticker) {
    this.client = client;
    this.credentials = credentials;
    this.ticker = ticker;
    this.endpoint = printable(credentials.tokenUrl());
  }

  @Override
  public Future<CachedCredential> fetch() {
    long startedAt = ticker.read();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(credentials.tokenUrl().toString())
            .setConnectTimeout(REQUEST_TIMEOUT.toMillis())
            .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
            .putHeader(HttpHeaders.ACCEPT, "application/json");
    Future<HttpClientRequest> requested;
    try {
      requested = client.request(options);
    } catch (RuntimeException closed) {
      return Future.failedFuture(unreachable(closed));
    }
    // readCapped must be attached in send()'s own callback: one future further down the chain the
    // response may already have ended, and its body would be lost.
    return requested
        .compose(
            request ->
                request
                    .send(Buffer.buffer(form(), "UTF-8"))
                    .compose(response -> readCapped(response).map(body -> new Reply(response.statusCode(), body))))
        .recover(
            failure ->
                Future.failedFuture(failure instanceof CredentialUnavailableException ? failure : unreachable(failure)))
        .compose(reply -> toCredential(reply.status(), reply.body(), startedAt));
  }

  private record Reply(int status, Buffer body) {}

  private String form() {
    return "grant_type=client_credentials"
        + "&client_id=" + encode(credentials.clientId())
        + "&client_secret=" + encode(credentials.clientSecret())
        + "&scope=" + encode(credentials.scope());
  }

  private Future<Buffer> readCapped(HttpClientResponse response) {
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    response.handler(
        chunk -> {
          if (collected.length() + chunk.length() > MAX_RESPONSE_BYTES) {
            if (body.tryFail(failure("answered " + response.statusCode() + " with a body over " + MAX_RESPONSE_BYTES + " bytes"))) {
              response.request().reset();
            }
          } else {
            collected.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(e -> body.tryFail(new CredentialUnavailableException("token endpoint " + endpoint + " broke off its answer (" + e.getClass().getSimpleName() + ")", e)));
    response.endHandler(v -> body.tryComplete(collected));
    return body.future();
  }

  private Future<CachedCredential> toCredential(int status, Buffer body, long startedAt) {
    if (status != 200) {
      return Future.failedFuture(failure("answered " + status + errorCodes(body)));
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (RuntimeException notJson) {
      return Future.failedFuture(failure("answered 200 with a body that is not a JSON object"));
    }
    if (!(json.getValue("access_token") instanceof String token) || token.isEmpty()) {
      return Future.failedFuture(failure("answered 200 without an access_token"));
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return Future.failedFuture(failure("answered 200 with an access_token that cannot be sent in a header"));
    }
    if (json.getValue("token_type") instanceof String type && !type.equalsIgnoreCase("Bearer")) {
      return Future.failedFuture(failure("answered 200 with a token that is not a bearer token"));
    }
    OptionalLong expiresInSeconds = expiresInSeconds(json.getValue("expires_in"));
    if (expiresInSeconds.isEmpty() || expiresInSeconds.getAsLong() <= 0) {
      return Future.failedFuture(failure("answered 200 without a positive expires_in"));
    }
    return Future.succeededFuture(
        CachedCredential.token(CredentialHeader.bearer(token), startedAt, Duration.ofSeconds(expiresInSeconds.getAsLong())));
  }

  /** Entra's v2 endpoint sends a number, the v1 endpoint a string of digits. */
  private static OptionalLong expiresInSeconds(Object value) {
    if (value instanceof Number n) {
      return OptionalLong.of(n.longValue());
    }
    if (value instanceof String s && DIGITS.matcher(s).matches()) {
      return OptionalLong.of(Long.parseLong(s));
    }
    return OptionalLong.empty();
  }

  /**
   * {@code " (invalid_client, AADSTS7000215)"} from an OAuth error body, or empty. Only codes of
   * a known shape are copied; descriptions are not, because they are free text.
   */
  private static String errorCodes(Buffer body) {
    List<String> codes = new ArrayList<>();
    try {
      JsonObject json = new JsonObject(body);
      if (json.getValue("error") instanceof String error && OAUTH_ERROR_CODE.matcher(error).matches()) {
        codes.add(error);
      }
      if (json.getValue("error_codes") instanceof JsonArray entraCodes) {
        for (Object code : entraCodes) {
          if (code instanceof Number n && DIGITS.matcher(String.valueOf(n)).matches()) {
            codes.add("AADSTS" + n);
          }
        }
      }
    } catch (RuntimeException notJson) {
      // An HTML error page or empty body: the status alone has to do.
    }
    return codes.isEmpty() ? "" : " (" + String.join(", ", codes) + ")";
  }

  private CredentialUnavailableException failure(String what) {
    return new CredentialUnavailableException("token endpoint " + endpoint + " " + what);
  }

  private CredentialUnavailableException unreachable(Throwable ioFailure) {
    return new CredentialUnavailableException(
        "token endpoint " + endpoint + " unreachable (" + ioFailure.getClass().getSimpleName() + ": " + ioFailure.getMessage() + ")",
        ioFailure);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String printable(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + url.getRawPath();
  }

  @Override
  public String toString() {
    return "entra[tokenUrl=" + endpoint + ", clientId=" + credentials.clientId() + ", clientSecret=***, scope=" + credentials.scope() + "]";
  }
}
