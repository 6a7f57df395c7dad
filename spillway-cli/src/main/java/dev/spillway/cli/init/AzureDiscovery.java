package dev.spillway.cli.init;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The HTTP calls that discover an Azure OpenAI resource's deployments: with Azure Resource Manager (an Entra bearer
 * token for {@code https://management.azure.com/.default}) the account and its deployment list, paged by {@code
 * nextLink}, with SKU and capacity; with the resource's key only, the legacy data-plane list {@code GET
 * /openai/deployments?api-version=2022-12-01}, which has each deployment's model but no SKU. Blocking: a command-line
 * tool calls it from its main thread. Thread-safe.
 */
public final class AzureDiscovery {
  public static final String ARM_API_VERSION = "2024-10-01";
  public static final String DATA_PLANE_API_VERSION = "2022-12-01";
  /** A list longer than this many pages is refused rather than followed forever. */
  static final int MAX_PAGES = 100;
  private static final int MAX_BODY_CHARS = 8 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  /** @param timeout per request, connect included */
  public AzureDiscovery(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * What ARM says of the account itself.
   *
   * @param endpoint {@code properties.endpoint}, when present
   * @param location the region, when present
   */
  public record Account(Optional<URI> endpoint, Optional<String> location) {}

  /** {@code GET {arm}{id}?api-version=}: the account's endpoint and region. */
  public Account account(URI arm, AzureResourceId id, String bearer) {
    JsonNode body = get(URI.create(base(arm) + id.path() + "?api-version=" + ARM_API_VERSION), "authorization", bearer,
        "Azure Resource Manager");
    Optional<URI> endpoint = text(body.path("properties").path("endpoint")).map(AzureDiscovery::endpointUri);
    return new Account(endpoint, text(body.path("location")));
  }

  /** {@code GET {arm}{id}/deployments?api-version=}, following {@code nextLink} on the same host. */
  public List<DiscoveredDeployment> armDeployments(URI arm, AzureResourceId id, String bearer) {
    List<DiscoveredDeployment> found = new ArrayList<>();
    URI next = URI.create(base(arm) + id.path() + "/deployments?api-version=" + ARM_API_VERSION);
    for (int page = 0; next != null; page++) {
      if (page == MAX_PAGES) {
        throw new DiscoveryException(printable(next) + ": more than " + MAX_PAGES + " pages of deployments");
      }
      JsonNode body = get(next, "authorization", bearer, "Azure Resource Manager");
      for (JsonNode d : body.path("value")) {
        JsonNode model = d.path("properties").path("model");
        JsonNode sku = d.path("sku");
        found.add(new DiscoveredDeployment(
            required(d.path("name"), next, "name"),
            required(model.path("name"), next, "properties.model.name"),
            text(model.path("version")).orElse(""),
            text(model.path("format")).orElse(""),
            text(sku.path("name")),
            sku.path("capacity").canConvertToLong() ? OptionalLong.of(sku.path("capacity").asLong()) : OptionalLong.empty(),
            text(d.path("properties").path("provisioningState")).orElse("Unknown")));
      }
      Optional<String> link = text(body.path("nextLink"));
      next = link.map(l -> sameOrigin(arm, URI.create(l))).orElse(null);
    }
    return found;
  }

  /** {@code GET {endpoint}/openai/deployments?api-version=2022-12-01} with {@code api-key}. */
  public List<DiscoveredDeployment> dataPlaneDeployments(URI endpoint, String apiKey) {
    URI url = URI.create(base(endpoint) + "/openai/deployments?api-version=" + DATA_PLANE_API_VERSION);
    JsonNode body = get(url, "api-key", apiKey, "the resource");
    List<DiscoveredDeployment> found = new ArrayList<>();
    for (JsonNode d : body.path("data")) {
      String status = text(d.path("status")).orElse("unknown");
      found.add(new DiscoveredDeployment(required(d.path("id"), url, "id"), required(d.path("model"), url, "model"), "",
          "", Optional.empty(), OptionalLong.empty(), status.equalsIgnoreCase("succeeded") ? "Succeeded" : status));
    }
    return found;
  }

  private JsonNode get(URI url, String header, String credential, String who) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("accept", "application/json")
        .header(header, credential).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DiscoveryException("cannot reach " + who + " at " + printable(url) + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiscoveryException("interrupted while calling " + printable(url), e);
    }
    if (response.body().length() > MAX_BODY_CHARS) {
      throw new DiscoveryException(printable(url) + " answered more than " + MAX_BODY_CHARS + " characters");
    }
    if (response.statusCode() != 200) {
      throw new DiscoveryException(printable(url) + " answered " + response.statusCode() + errorOf(response.body())
          + hint(response.statusCode(), header));
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      if (body == null || !body.isObject()) {
        throw new DiscoveryException(printable(url) + " answered 200 with something that is not a JSON object");
      }
      return body;
    } catch (IOException e) {
      throw new DiscoveryException(printable(url) + " answered 200 with something that is not JSON; is it an Azure"
          + " OpenAI endpoint?");
    }
  }

  private static String hint(int status, String header) {
    boolean keyOnly = header.equals("api-key");
    if (status == 401 || status == 403) {
      return keyOnly ? ": the key was refused; check it is this resource's key"
          : ": the Entra token was refused; the application needs a role on the resource (e.g. Reader) and the"
              + " token must be for https://management.azure.com/";
    }
    if (status == 404 && keyOnly) {
      return ": no key-only deployment list there (api-version " + DATA_PLANE_API_VERSION + "); check the endpoint, or"
          + " pass --resource-id with Entra credentials to read the deployments from Azure Resource Manager";
    }
    return "";
  }

  /** {@code " (code: message)"} from an Azure or ARM error body, shortened; empty when there is none. */
  private static String errorOf(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      String code = error.path("code").asText("");
      String message = error.path("message").asText("");
      String both = (code + (message.isEmpty() ? "" : ": " + message)).strip();
      if (both.isEmpty()) {
        return "";
      }
      return " (" + (both.length() > 300 ? both.substring(0, 300) + "..." : both) + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static URI sameOrigin(URI arm, URI link) {
    if (!Objects.equals(arm.getScheme(), link.getScheme()) || !Objects.equals(arm.getHost(), link.getHost())
        || arm.getPort() != link.getPort()) {
      throw new DiscoveryException("Azure Resource Manager's nextLink points to another origin (" + printable(link)
          + ") than " + printable(arm) + "; not sending the token there");
    }
    return link;
  }

  private static String required(JsonNode node, URI url, String field) {
    return text(node).orElseThrow(() -> new DiscoveryException(printable(url) + " listed a deployment without "
        + field));
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static URI endpointUri(String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new DiscoveryException("Azure Resource Manager reported an endpoint that is not a URL: " + text);
    }
  }

  /** The URL without a trailing slash. */
  private static String base(URI url) {
    String s = url.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Scheme, host, port and path: what messages show of a URL. */
  static String printable(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
