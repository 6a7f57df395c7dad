package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two Azure Resource Manager calls that describe an Azure OpenAI resource, answered from simulators:
 *
 * <ul>
 *   <li>{@code GET /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{a}
 *       ?api-version=} — the account: {@code location}, {@code kind: OpenAI}, {@code properties.endpoint} (the
 *       simulator's base URL);
 *   <li>{@code GET .../accounts/{a}/deployments?api-version=} — its deployments, {@code {"value":[...],"nextLink":
 *       ...}} in pages of {@code pageSize}: each with {@code sku} ({@link ReportedSku}) and {@code properties.model}
 *       ({@code format: OpenAI}, {@code name} = {@link DeploymentConfig#modelName()}, {@code version: simulated}).
 * </ul>
 *
 * Every call needs {@code Authorization: Bearer} with a token the {@link EntraTokenEndpoint} issued for {@value
 * #AUDIENCE}; errors have ARM's shape ({@code {"error":{"code","message"}}}: {@code AuthenticationFailed}, {@code
 * InvalidAuthenticationTokenAudience}, {@code MissingApiVersionParameter}, {@code ResourceNotFound}). Path segment
 * names and resource names match case-insensitively, as in ARM. Thread-safe.
 */
final class ArmApi {
  static final String AUDIENCE = "https://management.azure.com";
  static final String MODEL_VERSION = "simulated";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ManagementPlane.Account> accounts;
  private final EntraTokenEndpoint tokens;
  private final int pageSize;
  private final AtomicLong pagesServed = new AtomicLong();

  ArmApi(List<ManagementPlane.Account> accounts, EntraTokenEndpoint tokens, int pageSize) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.pageSize = pageSize;
  }

  /** How many pages of a deployment list were answered. */
  long pagesServed() {
    return pagesServed.get();
  }

  void handle(HttpServerRequest req) {
    String[] s = req.path().split("/");
    // "", subscriptions, {s}, resourceGroups, {g}, providers, Microsoft.CognitiveServices, accounts, {a}[, deployments]
    boolean shape = (s.length == 9 || s.length == 10) && is(s[1], "subscriptions") && is(s[3], "resourceGroups")
        && is(s[5], "providers") && is(s[6], "Microsoft.CognitiveServices") && is(s[7], "accounts")
        && (s.length == 9 || is(s[9], "deployments"));
    Optional<String> authProblem = authProblem(req.getHeader("authorization"));
    if (authProblem.isPresent()) {
      req.response().putHeader("www-authenticate", "Bearer authorization_uri=\"https://login.microsoftonline.com/\"");
      error(req, 401, authProblem.get().startsWith("InvalidAuthenticationTokenAudience")
          ? "InvalidAuthenticationTokenAudience" : "AuthenticationFailed", authProblem.get());
      return;
    }
    if (!shape) {
      error(req, 404, "NotFound", "No HTTP resource was found that matches the request URI.");
      return;
    }
    if (req.method() != HttpMethod.GET) {
      error(req, 405, "MethodNotAllowed", "The simulated management API answers GET only.");
      return;
    }
    String apiVersion = req.getParam("api-version");
    if (apiVersion == null || apiVersion.isBlank()) {
      error(req, 400, "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    Optional<ManagementPlane.Account> account = accounts.stream()
        .filter(a -> a.subscriptionId().equalsIgnoreCase(s[2]) && a.resourceGroup().equalsIgnoreCase(s[4])
            && a.name().equalsIgnoreCase(s[8]))
        .findFirst();
    if (account.isEmpty()) {
      error(req, 404, "ResourceNotFound", "The Resource 'Microsoft.CognitiveServices/accounts/" + s[8]
          + "' under resource group '" + s[4] + "' was not found.");
      return;
    }
    if (s.length == 9) {
      Replies.send(req.response(), 200, account(account.get()).toString());
    } else {
      deployments(req, account.get(), apiVersion);
    }
  }

  private Optional<String> authProblem(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of("Authentication failed. The 'Authorization' header is missing.");
    }
    Optional<String> audience = tokens.audienceOf(authorization.substring(7).strip());
    if (audience.isEmpty()) {
      return Optional.of("Authentication failed. The 'Authorization' header is provided in an invalid format.");
    }
    if (!audience.get().equalsIgnoreCase(AUDIENCE)) {
      return Optional.of("InvalidAuthenticationTokenAudience: The access token has been obtained for wrong audience"
          + " or resource '" + audience.get() + "'. It should exactly match one of the allowed audiences '" + AUDIENCE
          + "/'.");
    }
    return Optional.empty();
  }

  private void deployments(HttpServerRequest req, ManagementPlane.Account account, String apiVersion) {
    List<DeploymentConfig> all = account.simulator().config().deployments();
    int from;
    try {
      from = Optional.ofNullable(req.getParam("$skipToken")).map(Integer::parseInt).orElse(0);
    } catch (NumberFormatException e) {
      from = -1;
    }
    if (from < 0 || from > all.size()) {
      error(req, 400, "InvalidSkipToken", "The skip token is not valid.");
      return;
    }
    int to = Math.min(all.size(), from + pageSize);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode value = root.putArray("value");
    for (DeploymentConfig d : all.subList(from, to)) {
      value.add(deployment(account, d));
    }
    if (to < all.size()) {
      // authority() is the Host header on HTTP/1.1 and :authority on HTTP/2.
      io.vertx.core.net.HostAndPort authority = req.authority();
      String base = (req.isSSL() ? "https://" : "http://") + authority.host()
          + (authority.port() >= 0 ? ":" + authority.port() : "");
      root.put("nextLink", base + req.path() + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8)
          + "&$skipToken=" + to);
    }
    pagesServed.incrementAndGet();
    Replies.send(req.response(), 200, root.toString());
  }

  private static ObjectNode account(ManagementPlane.Account a) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", a.resourceId());
    root.put("name", a.name());
    root.put("type", "Microsoft.CognitiveServices/accounts");
    root.put("location", a.location());
    root.put("kind", "OpenAI");
    root.putObject("sku").put("name", "S0");
    ObjectNode properties = root.putObject("properties");
    properties.put("endpoint", a.simulator().baseUrl() + "/");
    properties.put("customSubDomainName", a.name());
    properties.put("provisioningState", "Succeeded");
    return root;
  }

  private static ObjectNode deployment(ManagementPlane.Account a, DeploymentConfig d) {
    ReportedSku sku = ReportedSku.of(d);
    ObjectNode root = JSON.createObjectNode();
    root.put("id", a.resourceId() + "/deployments/" + d.name());
    root.put("type", "Microsoft.CognitiveServices/accounts/deployments");
    root.put("name", d.name());
    root.putObject("sku").put("name", sku.name()).put("capacity", sku.capacity());
    ObjectNode properties = root.putObject("properties");
    properties.putObject("model").put("format", "OpenAI").put("name", d.modelName()).put("version", MODEL_VERSION);
    properties.put("provisioningState", "Succeeded");
    d.spilloverDeployment().ifPresent(name -> properties.put("spilloverDeploymentName", name));
    return root;
  }

  private static boolean is(String segment, String expected) {
    return segment.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
  }

  private static void error(HttpServerRequest req, int status, String code, String message) {
    Replies.error(req.response(), status, code, message);
  }
}
