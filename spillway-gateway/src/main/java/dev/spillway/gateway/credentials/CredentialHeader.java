package dev.spillway.gateway.credentials;

import dev.spillway.core.config.BackendType;
import dev.spillway.core.upstream.ApiKeyHeader;
import java.util.Objects;

/**
 * One request header carrying a backend credential. {@link #toString()} hides the value, so a
 * header can be logged by accident without leaking it; never log {@link #value()} itself.
 *
 * @param name the lower-case header name ({@code api-key} or {@code authorization})
 * @param value the header value, for example {@code Bearer eyJ...}
 */
public record CredentialHeader(String name, String value) {
  public static final String API_KEY = "api-key";
  public static final String AUTHORIZATION = "authorization";

  public CredentialHeader {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** How a backend of {@code type} takes an API key: {@code api-key} for Azure, bearer for OpenAI. */
  public static CredentialHeader apiKey(BackendType type, String key) {
    return new CredentialHeader(ApiKeyHeader.name(type), ApiKeyHeader.value(type, key));
  }

  /** {@code Authorization: Bearer <token>}. */
  public static CredentialHeader bearer(String token) {
    return new CredentialHeader(AUTHORIZATION, "Bearer " + token);
  }

  @Override
  public String toString() {
    return "CredentialHeader[name=" + name + ", value=***]";
  }
}
