package dev.spillway.core.api;

/** The three URL families clients use; they differ only in where the model name comes from. */
public enum RouteShape {
  /** {@code /v1/...}: model from the body. */
  OPENAI,
  /** {@code /openai/deployments/{deployment}/...?api-version=}: model from the path. */
  AZURE_CLASSIC,
  /** {@code /openai/v1/...}: model from the body, api-version optional. */
  AZURE_V1,
  /** Gateway-owned endpoints such as {@code /healthz}. */
  GATEWAY,
  /** The operator's {@code /admin/...} endpoints. */
  ADMIN
}
