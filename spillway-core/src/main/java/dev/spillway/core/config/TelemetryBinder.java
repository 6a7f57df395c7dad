package dev.spillway.core.config;

import java.util.List;
import java.util.Optional;

/** Binds {@code telemetry:}: opt-in metric labels ({@code metricLabels: [consumer, team]}) and {@code otlp:} export. */
final class TelemetryBinder {
  static final List<String> TELEMETRY_KEYS = List.of("metricLabels", "otlp");
  static final List<String> OTLP_KEYS = List.of("endpoint", "serviceName", "interval", "metrics", "traces");

  private final ScalarReader read;

  TelemetryBinder(ScalarReader read) {
    this.read = read;
  }

  TelemetryConfig bind(YamlNode.Mapping m) {
    String path = "telemetry";
    read.checkKeys(m, path, TELEMETRY_KEYS);
    boolean consumer = false;
    boolean team = false;
    for (ScalarReader.Value v : read.list(m, "metricLabels", path, "labels").orElse(List.of())) {
      switch (v.text().strip()) {
        case "consumer" -> consumer = true;
        case "team" -> team = true;
        default -> read.problem(v.line(), v.path(), "must be consumer or team, got " + v.shown());
      }
    }
    Optional<OtlpConfig> otlp = read.section(m, "otlp", path).flatMap(this::otlp);
    return new TelemetryConfig(consumer, team, otlp);
  }

  private Optional<OtlpConfig> otlp(YamlNode.Mapping m) {
    String path = "telemetry.otlp";
    int before = read.problemCount();
    read.checkKeys(m, path, OTLP_KEYS);
    Optional<java.net.URI> endpoint = read.requiredScalar(m, "endpoint", path).flatMap(read::httpUrl);
    String service = read.scalar(m, "serviceName", path).flatMap(read::nonBlank).orElse("spillway");
    java.time.Duration interval =
        read.scalar(m, "interval", path).flatMap(read::positiveDuration).orElse(OtlpConfig.DEFAULT_INTERVAL);
    boolean metrics = read.scalar(m, "metrics", path).flatMap(read::bool).orElse(true);
    boolean traces = read.scalar(m, "traces", path).flatMap(read::bool).orElse(true);
    if (read.problemCount() != before || endpoint.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new OtlpConfig(endpoint.get(), service, interval, metrics, traces));
  }
}
