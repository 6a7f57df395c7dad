package dev.spillway.core.upstream;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the gateway, in each direction.
 *
 * <p>Requests: everything the client sent except hop-by-hop headers (RFC 9110 §7.6.1), framing
 * headers the upstream client sets itself, client credentials (the backend's own credential
 * replaces them), the gateway's own {@code x-spillway-*} namespace, and Azure's {@code
 * x-ms-spillover-deployment}: where a request may spill is the gateway's decision (spill rights, the
 * backend's {@code azureSpillover}), never the caller's, who could otherwise send it to any deployment of the
 * resource on the gateway's credential.
 *
 * <p>Responses: the content type and the headers SDKs and operators rely on: request ids, rate
 * limit and retry headers, Azure's {@code azure-openai-*} and its spillover marks ({@code
 * x-ms-spillover-from-deployment}, {@code x-ms-spillover-error}), OpenAI's {@code
 * openai-*}.
 */
public final class HeaderRules {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect",
          "http2-settings",
          // Asked for identity bodies so the SSE scanner reads plain text; the edge may compress.
          "accept-encoding");

  private static final Set<String> CREDENTIALS =
      Set.of("api-key", "authorization", "cookie", "ocp-apim-subscription-key", "x-api-key");

  private static final Set<String> RESPONSE_EXACT =
      Set.of(
          "content-type",
          "x-request-id",
          "apim-request-id",
          "retry-after",
          "retry-after-ms",
          "x-ms-region",
          "x-ms-client-request-id",
          "x-ms-spillover-error",
          "openai-model",
          "openai-processing-ms",
          "openai-version",
          "openai-organization");

  private HeaderRules() {}

  /** @param name header name in any case */
  public static boolean forwardRequestHeader(String name) {
    String n = lowerCase(name);
    return !HOP_BY_HOP.contains(n)
        && !CREDENTIALS.contains(n)
        && !n.startsWith("x-spillway-")
        && !n.equals("x-ms-spillover-deployment");
  }

  /** @param name header name in any case */
  public static boolean returnResponseHeader(String name) {
    String n = lowerCase(name);
    return RESPONSE_EXACT.contains(n)
        || n.startsWith("x-ratelimit-")
        || n.startsWith("azure-openai-")
        || n.startsWith("x-ms-spillover-from-")
        || n.startsWith("retry-after");
  }

  /**
   * {@code name} in lower case, without a copy for the usual names: the well-known ones a client writes capitalised
   * ({@code Content-Type}, {@code Authorization}, ...) map to the constants above, and a name already in lower case is
   * itself. Every header of every request and answer passes here.
   */
  private static String lowerCase(String name) {
    String known = CAPITALISED.get(name);
    return known != null ? known : name.toLowerCase(Locale.ROOT);
  }

  private static final Map<String, String> CAPITALISED = capitalised();

  private static Map<String, String> capitalised() {
    Map<String, String> byCapitalised = new HashMap<>();
    for (Set<String> names : List.of(HOP_BY_HOP, CREDENTIALS, RESPONSE_EXACT, Set.of("accept", "user-agent"))) {
      for (String lower : names) {
        StringBuilder c = new StringBuilder(lower.length());
        boolean start = true;
        for (char ch : lower.toCharArray()) {
          c.append(start ? Character.toUpperCase(ch) : ch);
          start = ch == '-';
        }
        byCapitalised.put(c.toString(), lower);
      }
    }
    return Map.copyOf(byCapitalised);
  }
}
