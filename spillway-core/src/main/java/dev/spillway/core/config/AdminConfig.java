package dev.spillway.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Who may use {@code /admin/*}.
 *
 * @param apiKey a key that admin requests present as {@code api-key} or bearer; without it (and
 *     without a role) the admin API answers loopback clients only
 * @param jwtRole a role in a valid JWT's {@code roles} claim that grants admin access
 * @param listen an own listener ({@code host:port}) for admin and probes, apart from client traffic
 * @param metricsAccess who may read {@code /metrics} and the dashboard
 */
public record AdminConfig(
    Optional<String> apiKey, Optional<String> jwtRole, Optional<String> listen, MetricsAccess metricsAccess) {
  public static final AdminConfig LOOPBACK_ONLY =
      new AdminConfig(Optional.empty(), Optional.empty(), Optional.empty(), MetricsAccess.LOOPBACK);

  public AdminConfig {
    apiKey = apiKey == null ? Optional.empty() : apiKey.filter(k -> !k.isBlank());
    jwtRole = jwtRole == null ? Optional.empty() : jwtRole;
    listen = listen == null ? Optional.empty() : listen;
    metricsAccess = metricsAccess == null ? MetricsAccess.LOOPBACK : metricsAccess;
  }

  /**
   * A builder that starts at {@link #LOOPBACK_ONLY} (where a config file without {@code admin:} leaves it): no key, no
   * role, no own listener, metrics for loopback clients.
   */
  public static Builder builder() {
    return LOOPBACK_ONLY.toBuilder();
  }

  /** A builder holding every value of this one, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    Builder builder = new Builder().metricsAccess(metricsAccess);
    apiKey.ifPresent(builder::apiKey);
    jwtRole.ifPresent(builder::jwtRole);
    listen.ifPresent(builder::listen);
    return builder;
  }

  /** Collects the values of an {@link AdminConfig}; unset ones stay absent. Setters reject null. Not thread-safe. */
  public static final class Builder {
    private Optional<String> apiKey = Optional.empty();
    private Optional<String> jwtRole = Optional.empty();
    private Optional<String> listen = Optional.empty();
    private MetricsAccess metricsAccess = MetricsAccess.LOOPBACK;

    private Builder() {}

    /** The key admin requests present as {@code api-key} or bearer; a blank key counts as none. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Optional.of(Objects.requireNonNull(apiKey, "apiKey"));
      return this;
    }

    /** A role in a valid JWT's {@code roles} claim that grants admin access. */
    public Builder jwtRole(String jwtRole) {
      this.jwtRole = Optional.of(Objects.requireNonNull(jwtRole, "jwtRole"));
      return this;
    }

    /** An own listener, {@code host:port}, for admin and probes. */
    public Builder listen(String listen) {
      this.listen = Optional.of(Objects.requireNonNull(listen, "listen"));
      return this;
    }

    public Builder metricsAccess(MetricsAccess metricsAccess) {
      this.metricsAccess = Objects.requireNonNull(metricsAccess, "metricsAccess");
      return this;
    }

    public AdminConfig build() {
      return new AdminConfig(apiKey, jwtRole, listen, metricsAccess);
    }
  }

  @Override
  public String toString() {
    return "AdminConfig[apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", jwtRole=" + jwtRole + ", listen=" + listen
        + ", metricsAccess=" + metricsAccess.id() + "]";
  }
}
