package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How clients prove who they are.
 *
 * @param required when true every proxied request needs a gateway key or a valid JWT; defaults to
 *     true as soon as consumers are configured
 * @param keyStore the file holding gateway keys (salted, keyed hashes only)
 * @param keyPepper the server-side secret mixed into every key hash; without it keys cannot be
 *     created or checked
 * @param jwtIssuers trusted JWT issuers
 */
public record AuthConfig(boolean required, Path keyStore, Optional<String> keyPepper, List<JwtIssuerConfig> jwtIssuers) {
  public static final Path DEFAULT_KEY_STORE = Path.of("spillway-data", "keys.json");
  public static final AuthConfig NONE = new AuthConfig(false, DEFAULT_KEY_STORE, Optional.empty(), List.of());

  public AuthConfig {
    Objects.requireNonNull(keyStore, "keyStore");
    keyPepper = keyPepper == null ? Optional.empty() : keyPepper.filter(p -> !p.isBlank());
    jwtIssuers = List.copyOf(jwtIssuers);
  }

  @Override
  public String toString() {
    return "AuthConfig[required=" + required + ", keyStore=" + keyStore + ", keyPepper="
        + (keyPepper.isPresent() ? "***" : "none") + ", jwtIssuers=" + jwtIssuers + "]";
  }
}
