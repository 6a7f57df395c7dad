package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.OtlpConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TelemetryConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code telemetry.otlp} against a real OTLP/HTTP receiver on loopback: the gateway's spans and meters arrive as
 * protobuf, decoded here with the OpenTelemetry protocol classes.
 */
class OtlpExportTest {
  private final TestWorld world = new TestWorld();
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @AfterEach
  void stop() {
    world.close();
  }

  private String startReceiver() {
    receiver = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          try {
            if (req.path().equals("/v1/traces")) {
              traces.add(ExportTraceServiceRequest.parseFrom(body.getBytes()));
            } else if (req.path().equals("/v1/metrics")) {
              metrics.add(ExportMetricsServiceRequest.parseFrom(body.getBytes()));
            }
            req.response().putHeader("content-type", "application/x-protobuf").end();
          } catch (Exception e) {
            req.response().setStatusCode(400).end();
          }
        }))
        .listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + receiver.actualPort();
  }

  @Test
  void aSpanPerRequestWithAChildPerAttemptAndTheMetersArriveOverOtlp() throws Exception {
    String endpoint = startReceiver();
    world.simulate(List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(
            Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1),
            Backends.azure("payg-1", world.simUrl(), "payg", Tier.PAYG, 2))))
        .toBuilder()
        .telemetry(new TelemetryConfig(false, false, Optional.of(
            new OtlpConfig(URI.create(endpoint), "spillway-test", Duration.ofHours(1), true, true))))
        .build();
    world.gateway(config);
    // The tiny PTU serves the first request and throttles the second, which PAYG absorbs: two attempts.
    for (int i = 0; i < 2; i++) {
      assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false)).statusCode()).isEqualTo(200);
      world.listener.nextRequest();
    }

    world.gateway.close().await(); // flushes spans and pushes the meters once

    List<Span> spans = traces.stream()
        .flatMap(t -> t.getResourceSpansList().stream())
        .peek(rs -> assertThat(attributes(rs.getResource().getAttributesList())).containsEntry("service.name", "spillway-test"))
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .toList();
    List<Span> requests = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).toList();
    assertThat(requests).hasSize(2).allSatisfy(s -> {
      assertThat(s.getName()).isEqualTo("chat gpt-4o");
      assertThat(attributes(s.getAttributesList())).containsEntry("http.response.status_code", "200");
    });
    Span spilled = requests.stream()
        .filter(s -> attributes(s.getAttributesList()).get("spillway.backend").equals("payg-1")).findFirst().orElseThrow();
    List<Span> children = spans.stream().filter(s -> s.getParentSpanId().equals(spilled.getSpanId())).toList();
    assertThat(children).extracting(Span::getName).containsExactly("attempt ptu-1", "attempt payg-1");
    assertThat(children).allSatisfy(c -> {
      assertThat(c.getTraceId()).isEqualTo(spilled.getTraceId());
      assertThat(c.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(c.getStartTimeUnixNano()).isGreaterThanOrEqualTo(spilled.getStartTimeUnixNano());
      assertThat(c.getEndTimeUnixNano()).isLessThanOrEqualTo(spilled.getEndTimeUnixNano());
    });
    assertThat(attributes(children.get(0).getAttributesList())).containsEntry("spillway.attempt.result", "throttled")
        .containsEntry("http.response.status_code", "429");
    assertThat(attributes(spilled.getAttributesList())).containsKey("gen_ai.usage.input_tokens");

    List<String> metricNames = metrics.stream()
        .flatMap(m -> m.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .map(io.opentelemetry.proto.metrics.v1.Metric::getName)
        .distinct()
        .toList();
    assertThat(metricNames).contains("gen_ai.client.token.usage", "gen_ai.server.request.duration", "spillway.requests");
  }

  private static Map<String, String> attributes(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
      var v = kv.getValue();
      return v.hasIntValue() ? Long.toString(v.getIntValue()) : v.hasBoolValue() ? Boolean.toString(v.getBoolValue()) : v.getStringValue();
    }, (a, b) -> a));
  }
}
