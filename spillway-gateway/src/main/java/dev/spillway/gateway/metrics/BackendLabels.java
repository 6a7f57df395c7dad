package dev.spillway.gateway.metrics;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;

/**
 * The label values of one backend, computed once from the config so that recording an event does
 * not rebuild strings. Also a cache key: equal labels mean the same series.
 *
 * @param id the backend id ({@code spillway.backend})
 * @param model the logical model it serves ({@code gen_ai.request.model})
 * @param tier {@code ptu} or {@code payg} ({@code spillway.tier})
 * @param region the configured region, {@code none} when empty ({@code spillway.region})
 * @param spillTarget a PAYG backend of a model that also has PTU backends: what it answers is
 *     overflow from PTU
 */
record BackendLabels(String id, String model, String tier, String region, boolean spillTarget) {

  /** No backend: the request was refused or failed before one answered. */
  static final BackendLabels NONE =
      new BackendLabels(MeterNames.NONE, MeterNames.NONE, MeterNames.NONE, MeterNames.NONE, false);

  static BackendLabels of(String model, BackendConfig backend, boolean poolHasPtu) {
    String region = backend.region().isBlank() ? MeterNames.NONE : backend.region();
    return new BackendLabels(
        backend.id(), model, backend.tier().id(), region, poolHasPtu && backend.tier() == Tier.PAYG);
  }
}
