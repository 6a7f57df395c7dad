package dev.spillway.core.api;

/** What an inbound request asks for, independent of the URL shape it arrived in. */
public enum Operation {
  CHAT_COMPLETIONS("chat/completions", true),
  COMPLETIONS("completions", true),
  EMBEDDINGS("embeddings", true),
  LIST_MODELS("models", false),
  GET_MODEL("models/{model}", false),
  HEALTHZ("healthz", false),
  READYZ("readyz", false),
  /** {@code GET /metrics}: Prometheus text, behind {@code admin.metricsAccess}. */
  METRICS("metrics", false),
  /**
   * {@code GET /dashboard[/{resource}]}: the live dashboard's page, its assets and its data
   * ({@code api/stats}); the path parameter is the resource below {@code /dashboard/}, empty for the
   * page. Behind {@code admin.metricsAccess}, like the metrics.
   */
  DASHBOARD("dashboard", false),
  /** {@code GET /admin/backends}: every backend's live state. */
  ADMIN_BACKENDS("admin/backends", false),
  /** {@code POST /admin/backends/{id}/force-open}: stop sending it calls until reset. */
  ADMIN_FORCE_OPEN("force-open", false),
  /** {@code POST /admin/backends/{id}/disable}: switch its circuit breaker off. */
  ADMIN_DISABLE("disable", false),
  /** {@code POST /admin/backends/{id}/reset}: close the breaker and clear any throttle. */
  ADMIN_RESET("reset", false),
  /** {@code GET /admin/usage?from=&to=&by=&format=}: the chargeback report of the usage ledger. */
  ADMIN_USAGE("admin/usage", false),
  /** {@code GET /admin/consumers}: consumers with their key ids (never secrets). */
  ADMIN_CONSUMERS("admin/consumers", false),
  /** {@code POST /admin/consumers/{id}/keys}: a new gateway key, shown once; the previous one stays valid. */
  ADMIN_CREATE_KEY("keys", false),
  /** {@code POST /admin/keys/{keyId}/revoke}: the key stops working at once. */
  ADMIN_REVOKE_KEY("revoke", false),
  /** {@code PUT /admin/consumers/{id}}: add or replace a consumer (not one of the config file). */
  ADMIN_PUT_CONSUMER("consumers/{id}", false),
  /** {@code DELETE /admin/consumers/{id}}: remove a consumer added through the API, and revoke its keys. */
  ADMIN_DELETE_CONSUMER("consumers/{id}", false);

  private final String pathSuffix;
  private final boolean proxied;

  Operation(String pathSuffix, boolean proxied) {
    this.pathSuffix = pathSuffix;
    this.proxied = proxied;
  }

  /** The path below the API base, e.g. {@code chat/completions}. */
  public String pathSuffix() {
    return pathSuffix;
  }

  /** True when the request is forwarded to a backend; false when the gateway answers itself. */
  public boolean proxied() {
    return proxied;
  }

  /** True for operations whose response may be a server-sent event stream. */
  public boolean mayStream() {
    return this == CHAT_COMPLETIONS || this == COMPLETIONS;
  }
}
