package dev.spillway.core.config;

import java.util.Optional;

/**
 * The credential Spillway presents to a backend. Clients never see it.
 *
 * <p>{@link #toString()} never prints the secret, so a config record can be logged safely.
 *
 * @param apiKey the backend's API key, if it takes one (sent as {@code api-key} to Azure backends
 *     and as {@code Authorization: Bearer} to OpenAI backends)
 */
public record BackendAuth(Optional<String> apiKey) {
  public static final BackendAuth NONE = new BackendAuth(Optional.empty());

  public BackendAuth {
    apiKey = apiKey == null ? Optional.empty() : apiKey.filter(k -> !k.isBlank());
  }

  public static BackendAuth apiKey(String key) {
    return new BackendAuth(Optional.ofNullable(key));
  }

  @Override
  public String toString() {
    return apiKey.isPresent() ? "BackendAuth[apiKey=***]" : "BackendAuth[none]";
  }
}
