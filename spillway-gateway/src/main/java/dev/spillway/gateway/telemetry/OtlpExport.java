package dev.spillway.gateway.telemetry;

import dev.spillway.core.config.OtlpConfig;
import dev.spillway.core.time.Ticker;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry export over OTLP/HTTP, as {@code telemetry.otlp} asks: the gateway's meters through Micrometer's OTLP
 * registry (pushed every {@code interval}) and a span per request through the OpenTelemetry SDK (batched). Both
 * export from their own threads, never from an event loop. {@link #close()} flushes what is pending; it blocks.
 */
public final class OtlpExport implements AutoCloseable {
  private static final Duration SPAN_BATCH_DELAY = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Optional<OtlpMeterRegistry> meters;
  private final Optional<SdkTracerProvider> tracing;

  private OtlpExport(Optional<OtlpMeterRegistry> meters, Optional<SdkTracerProvider> tracing) {
    this.meters = meters;
    this.tracing = tracing;
  }

  /** Starts the exporters the config enables; nothing is sent until there is something to send. */
  public static OtlpExport start(OtlpConfig config) {
    String base = config.endpoint().toString().replaceAll("/+$", "");
    Optional<OtlpMeterRegistry> meters =
        config.metrics() ? Optional.of(meterRegistry(base + "/v1/metrics", config)) : Optional.empty();
    Optional<SdkTracerProvider> tracing = Optional.empty();
    if (config.traces()) {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build();
      tracing = Optional.of(
          SdkTracerProvider.builder()
              .setResource(Resource.getDefault().merge(
                  Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName()))))
              .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(SPAN_BATCH_DELAY).build())
              .build());
    }
    return new OtlpExport(meters, tracing);
  }

  private static OtlpMeterRegistry meterRegistry(String url, OtlpConfig config) {
    Map<String, String> settings = Map.of(
        "otlp.url", url,
        "otlp.step", config.interval().toMillis() + "ms",
        "otlp.resourceAttributes", "service.name=" + config.serviceName());
    io.micrometer.registry.otlp.OtlpConfig micrometerConfig = settings::get;
    return new OtlpMeterRegistry(micrometerConfig, Clock.SYSTEM);
  }

  /** The registry the gateway's meters should also be registered in, when metrics are exported. */
  public Optional<MeterRegistry> meterRegistry() {
    return meters.map(m -> m);
  }

  /** A listener that turns finished requests into spans, when traces are exported; {@code ticker} and {@code clock} are the gateway's. */
  public Optional<RequestTracer> tracer(Ticker ticker, java.time.Clock clock) {
    return tracing.map(provider -> new RequestTracer(provider.get("dev.spillway.gateway"), ticker, clock));
  }

  /** Pushes what is pending and stops both exporters (blocking, bounded). */
  @Override
  public void close() {
    meters.ifPresent(OtlpMeterRegistry::close);
    tracing.ifPresent(p -> p.shutdown().join(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }
}
