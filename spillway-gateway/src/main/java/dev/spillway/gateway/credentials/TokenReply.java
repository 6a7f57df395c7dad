package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads a token endpoint's answer into a {@link CachedCredential}: an OAuth 2.0 token response
 * from Entra ID, or the same shape from a managed identity endpoint (which writes numbers as
 * strings and may give only {@code expires_on}).
 *
 * <p>Nothing from the body goes into an error message except the OAuth {@code error} code and
 * numeric Entra error codes, because a body may echo a token. Parse errors are reported without
 * their cause for the same reason.
 */
final class TokenReply {
  private static final Pattern OAUTH_ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");

  private TokenReply() {}

  /**
   * The bearer token in {@code reply}, living {@code expires_in} seconds from {@code startedAt}
   * (or, without it, until {@code expires_on} on {@code clock}); a failure naming {@code label}.
   */
  static Future<CachedCredential> toCredential(TokenHttp.Reply reply, long startedAt, Clock clock, String label) {
    if (reply.status() != 200) {
      return fail(label, "answered " + reply.status() + errorCodes(reply.body()));
    }
    JsonObject json;
    try {
      json = new JsonObject(reply.body());
    } catch (RuntimeException notJson) {
      return fail(label, "answered 200 with a body that is not a JSON object");
    }
    if (!(json.getValue("access_token") instanceof String token) || token.isEmpty()) {
      return fail(label, "answered 200 without an access_token");
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return fail(label, "answered 200 with an access_token that cannot be sent in a header");
    }
    if (json.getValue("token_type") instanceof String type && !type.equalsIgnoreCase("Bearer")) {
      return fail(label, "answered 200 with a token that is not a bearer token");
    }
    OptionalLong seconds = wholeSeconds(json.getValue("expires_in"));
    if (seconds.isEmpty() && !json.containsKey("expires_in")) {
      OptionalLong expiresOn = wholeSeconds(json.getValue("expires_on"));
      if (expiresOn.isPresent()) {
        seconds = OptionalLong.of(expiresOn.getAsLong() - clock.instant().getEpochSecond());
      }
    }
    if (seconds.isEmpty() || seconds.getAsLong() <= 0) {
      return fail(label, "answered 200 without a positive expires_in");
    }
    return Future.succeededFuture(
        CachedCredential.token(CredentialHeader.bearer(token), startedAt, Duration.ofSeconds(seconds.getAsLong())));
  }

  /** Entra's v2 endpoint sends a number, its v1 endpoint and managed identity endpoints a string of digits. */
  private static OptionalLong wholeSeconds(Object value) {
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
  static String errorCodes(Buffer body) {
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

  private static Future<CachedCredential> fail(String label, String what) {
    return Future.failedFuture(new CredentialUnavailableException(label + " " + what));
  }
}
