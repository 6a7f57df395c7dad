package dev.spillway.core.config;

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
  public static final AdminConfig LOOPBACK_ONLY = new AdminConfig(Optional.empty(), Optional.empty(), Optional.empty());

  public AdminConfig {
    apiKey = apiKey == null ? Optional.empty() : apiKey.filter(k -> !k.isBlank());
    jwtRole = jwtRole == null ? Optional.empty() : jwtRole;
    listen = listen == null ? Optional.empty() : listen;
    metricsAccess = metricsAccess == null ? MetricsAccess.LOOPBACK : metricsAccess;
  }

  public AdminConfig(Optional<String> apiKey, Optional<String> jwtRole, Optional<String> listen) {
    this(apiKey, jwtRole, listen, MetricsAccess.LOOPBACK);
  }

  @Override
  public String toString() {
    return "AdminConfig[apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", jwtRole=" + jwtRole + ", listen=" + listen
        + ", metricsAccess=" + metricsAccess.id() + "]";
  }
}
