package dev.spillway.core.upstream;

import dev.spillway.core.config.BackendType;

/**
 * How a backend takes a static API key: {@code api-key: <key>} for Azure OpenAI, {@code authorization: Bearer <key>}
 * for OpenAI. Where the request goes and what its body says is the gateway's per-dialect translator's business.
 */
public final class ApiKeyHeader {
  private ApiKeyHeader() {}

  /** The header name for a backend of {@code type}. */
  public static String name(BackendType type) {
    return type == BackendType.AZURE ? "api-key" : "authorization";
  }

  /** The header value carrying {@code key} for a backend of {@code type}; never log it. */
  public static String value(BackendType type, String key) {
    return type == BackendType.AZURE ? key : "Bearer " + key;
  }
}
