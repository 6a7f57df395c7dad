package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An Entra ID look-alike token endpoint for the client-credentials grant: {@code POST /{tenant}/oauth2/v2.0/token}
 * with a form body of {@code grant_type=client_credentials}, {@code client_id}, {@code client_secret} and {@code
 * scope} ({@code <resource>/.default}). It knows one tenant and one client; a good request gets {@code
 * {"token_type":"Bearer","expires_in":3599,"access_token":...}}, a bad one Entra's error shape ({@code error}, {@code
 * error_description}, {@code error_codes} with the AADSTS number). Each token remembers the resource it was issued
 * for ({@link #audienceOf}), so the management API can refuse a token meant for another. Thread-safe.
 */
final class EntraTokenEndpoint {
  static final long EXPIRES_IN_SECONDS = 3599;
  private static final String SUFFIX = "/oauth2/v2.0/token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String tenantId;
  private final String clientId;
  private final String clientSecret;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> audiences = new ConcurrentHashMap<>();
  private final AtomicLong issued = new AtomicLong();

  EntraTokenEndpoint(String tenantId, String clientId, String clientSecret) {
    this.tenantId = tenantId;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** True when {@code path} is a token endpoint URL (of any tenant). */
  static boolean matches(String path) {
    return path.endsWith(SUFFIX) && path.indexOf('/', 1) == path.length() - SUFFIX.length();
  }

  /** Answers a request whose path {@link #matches}. */
  void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("allow", "POST");
      oauthError(req, 405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
      return;
    }
    String tenant = req.path().substring(1, req.path().length() - SUFFIX.length());
    req.body().onSuccess(body -> answer(req, tenant, form(body.toString(StandardCharsets.UTF_8))));
  }

  private void answer(HttpServerRequest req, String tenant, Map<String, String> form) {
    if (!tenant.equalsIgnoreCase(tenantId)) {
      oauthError(req, 400, "invalid_request", 90002, "Tenant '" + tenant + "' not found.");
    } else if (!"client_credentials".equals(form.get("grant_type"))) {
      oauthError(req, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    } else if (!clientId.equals(form.get("client_id"))) {
      oauthError(req, 400, "unauthorized_client", 700016, "Application was not found in the directory.");
    } else if (!clientSecret.equals(form.get("client_secret"))) {
      oauthError(req, 401, "invalid_client", 7000215, "Invalid client secret provided.");
    } else {
      Optional<String> resource = Optional.ofNullable(form.get("scope"))
          .filter(s -> s.endsWith("/.default") && s.length() > "/.default".length())
          .map(s -> s.substring(0, s.length() - "/.default".length()));
      if (resource.isEmpty()) {
        oauthError(req, 400, "invalid_scope", 1002012, "The provided value for scope is not valid: "
            + "client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        return;
      }
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      String token = "sim-entra-" + HexFormat.of().formatHex(bytes);
      audiences.put(token, normalize(resource.get()));
      issued.incrementAndGet();
      ObjectNode root = JSON.createObjectNode().put("token_type", "Bearer").put("expires_in", EXPIRES_IN_SECONDS)
          .put("ext_expires_in", EXPIRES_IN_SECONDS).put("access_token", token);
      Replies.send(req.response(), 200, root.toString());
    }
  }

  /** The resource a token was issued for (no trailing slash), or empty for a token this endpoint never issued. */
  Optional<String> audienceOf(String token) {
    return Optional.ofNullable(audiences.get(token));
  }

  /** How many tokens were issued. */
  long issued() {
    return issued.get();
  }

  static String normalize(String resource) {
    return resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static void oauthError(HttpServerRequest req, int status, String error, int code, String description) {
    ObjectNode root = JSON.createObjectNode().put("error", error)
        .put("error_description", "AADSTS" + code + ": " + description);
    root.putArray("error_codes").add(code);
    Replies.send(req.response(), status, root.toString());
  }
}
