package dev.spillway.gateway.metrics;

import dev.spillway.gateway.reload.ReloadStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The config file's reload state: {@code spillway_config_reload_total{result="ok"|"invalid"}} (reloads that found a
 * valid file, whether or not it changed anything, and those that refused it), {@code spillway_config_valid} (0 while the
 * file on disk is invalid and the gateway runs on its last valid config) and {@code spillway_config_generation} (1 at
 * start, one more for each reload that changed something). An alert on {@code spillway_config_valid == 0} catches an
 * edit that did not take.
 */
final class ConfigGauges {
  private ConfigGauges() {}

  static void bind(MeterRegistry registry, ReloadStatus status) {
    for (boolean ok : new boolean[] {true, false}) {
      FunctionCounter.builder(MeterNames.CONFIG_RELOADS, status, s -> s.reloads(ok))
          .description("Config reloads by result: ok (a valid file, applied or unchanged) or invalid (refused)")
          .tag(MeterNames.RESULT, ok ? "ok" : "invalid")
          .register(registry);
    }
    Gauge.builder(MeterNames.CONFIG_VALID, status, s -> s.fileValid() ? 1 : 0)
        .description("1 while the config file is valid; 0 while the last reload refused it (the old config runs)")
        .strongReference(true)
        .register(registry);
    Gauge.builder(MeterNames.CONFIG_GENERATION, status, ReloadStatus::generation)
        .description("The config generation in force: 1 at start, one more per reload that changed something")
        .strongReference(true)
        .register(registry);
  }
}
