package dev.spillway.simulator;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a Realtime API WebSocket upgrade points. The simulator serves three URL shapes, all {@code
 * GET} with {@code Upgrade: websocket}: OpenAI's {@code /v1/realtime?model=}, Azure's v1 {@code
 * /openai/v1/realtime?model=} and Azure's preview {@code /openai/realtime?api-version=&deployment=};
 * the query parameter names the deployment. Parsing is pure.
 *
 * @param deploymentParam the query parameter that names the deployment ({@code model} or {@code deployment})
 * @param classicAzure whether this is Azure's preview shape, which needs {@code api-version} (as the
 *     classic HTTP routes do) and speaks the beta protocol
 * @param azure whether this is one of Azure's shapes, which also take the key as the {@code api-key}
 *     query parameter (for browsers, which cannot set headers on a WebSocket)
 */
record RealtimeRoute(String deploymentParam, boolean classicAzure, boolean azure) {
  static final RealtimeRoute OPENAI = new RealtimeRoute("model", false, false);
  static final RealtimeRoute AZURE_V1 = new RealtimeRoute("model", false, true);
  static final RealtimeRoute AZURE_PREVIEW = new RealtimeRoute("deployment", true, true);

  /** The request header OpenAI reads to serve the beta protocol on {@code /v1/realtime}. */
  static final String OPENAI_BETA_HEADER = "openai-beta";

  /** The route for {@code path}, or empty when it is not a Realtime URL. */
  static Optional<RealtimeRoute> match(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return switch (p) {
      case "/v1/realtime" -> Optional.of(OPENAI);
      case "/openai/v1/realtime" -> Optional.of(AZURE_V1);
      case "/openai/realtime" -> Optional.of(AZURE_PREVIEW);
      default -> Optional.empty();
    };
  }

  /**
   * The protocol a session on this route speaks: beta on Azure's preview URL, which serves only the
   * preview protocol, and on the v1 URLs when the client sends {@code OpenAI-Beta: realtime=v1} as
   * OpenAI's beta clients do; GA otherwise.
   *
   * @param openAiBeta the {@value #OPENAI_BETA_HEADER} request header, or null
   */
  RealtimeDialect dialect(String openAiBeta) {
    if (classicAzure) {
      return RealtimeDialect.BETA;
    }
    if (openAiBeta != null && openAiBeta.toLowerCase(Locale.ROOT).replace(" ", "").contains("realtime=v1")) {
      return RealtimeDialect.BETA;
    }
    return RealtimeDialect.GA;
  }
}
