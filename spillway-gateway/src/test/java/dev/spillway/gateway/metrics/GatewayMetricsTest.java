package dev.spillway.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.RequestOutcome;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private static final String SECRET = "sk-do-not-leak-4711";
  private static final long MS = 1_000_000L;

  private final BackendConfig ptu = backend("ptu-east", Tier.PTU, 1, "eastus", BackendAuth.apiKey(SECRET));
  private final BackendConfig payg = backend("payg-west", Tier.PAYG, 2, "westus", BackendAuth.NONE);
  private final BackendConfig embedPayg = backend("embed-payg", Tier.PAYG, 1, "", BackendAuth.NONE);
  private final Pool gpt = new Pool(ModelConfig.builder()
      .name("gpt-4o")
      .strategy(RoutingStrategy.PRIORITY)
      .backends(List.of(ptu, payg))
      .build());
  private final Pool embed = new Pool(ModelConfig.builder()
      .name("embed")
      .strategy(RoutingStrategy.PRIORITY)
      .backends(List.of(embedPayg))
      .build());
  private final ManualTicker ticker = new ManualTicker(1_000_000_000L);
  private final GatewayMetrics metrics = GatewayMetrics.builder(pools(gpt, embed)).ticker(ticker).build();

  // ---- counters ----

  @Test
  void countsAttemptsByBackendResultAndRetried() {
    metrics.onAttempt(attempt(ptu, AttemptResult.THROTTLED, 429, true));
    metrics.onAttempt(attempt(ptu, AttemptResult.THROTTLED, 429, true));
    metrics.onAttempt(attempt(ptu, AttemptResult.THROTTLED, 429, false));
    metrics.onAttempt(attempt(payg, AttemptResult.SERVER_ERROR, 503, true));
    metrics.onAttempt(attempt(payg, AttemptResult.OK, 200, false));

    Exposition e = scrape();
    String name = "spillway_attempts_total";
    assertThat(e.value(name, labels("spillway_backend", "ptu-east", "result", "throttled", "retried", "true")))
        .isEqualTo(2);
    assertThat(e.value(name, labels("spillway_backend", "ptu-east", "result", "throttled", "retried", "false")))
        .isEqualTo(1);
    assertThat(e.value(name, labels("spillway_backend", "payg-west", "result", "server_error", "retried", "true")))
        .isEqualTo(1);
    assertThat(e.value(name, labels("spillway_backend", "payg-west", "result", "ok", "retried", "false")))
        .isEqualTo(1);
    assertThat(e.samples(name, labels("spillway_backend", "ptu-east")).get(0).labels())
        .containsEntry("spillway_tier", "ptu")
        .containsEntry("gen_ai_request_model", "gpt-4o");
    assertThat(e.samples(name, Map.of())).hasSize(4);
  }

  @Test
  void countsThrottlesAbsorbedByRetryAndThrottlesReturnedToClients() {
    metrics.onAttempt(attempt(ptu, AttemptResult.THROTTLED, 429, true));
    metrics.onAttempt(attempt(ptu, AttemptResult.THROTTLED, 429, true));
    metrics.onAttempt(attempt(payg, AttemptResult.THROTTLED, 429, false)); // the last: returned, not absorbed
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", null, 429));
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", ptu, 200));

    Exposition e = scrape();
    assertThat(e.value("spillway_throttled_absorbed_total", labels("spillway_backend", "ptu-east", "spillway_tier", "ptu")))
        .isEqualTo(2);
    assertThat(e.samples("spillway_throttled_absorbed_total", labels("spillway_backend", "payg-west"))).isEmpty();
    assertThat(e.value("spillway_throttled_returned_total", labels("gen_ai_request_model", "gpt-4o"))).isEqualTo(1);
  }

  @Test
  void countsRequestsByStatusOperationModelAndBackend() {
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, 200));
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, 200));
    metrics.onRequest(request(Operation.COMPLETIONS, "gpt-4o", ptu, 200));
    metrics.onRequest(request(Operation.EMBEDDINGS, "embed", embedPayg, 400));
    metrics.onRequest(request(null, null, null, 401)); // refused before routing
    metrics.onRequest(request(Operation.HEALTHZ, null, null, 200)); // answered by the gateway
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "not-configured", null, 404));

    Exposition e = scrape();
    String name = "spillway_requests_total";
    assertThat(e.value(name, labels("http_response_status_code", "200", "gen_ai_operation_name", "chat",
        "gen_ai_request_model", "gpt-4o", "spillway_backend", "payg-west"))).isEqualTo(2);
    assertThat(e.value(name, labels("http_response_status_code", "200", "gen_ai_operation_name", "text_completion",
        "gen_ai_request_model", "gpt-4o", "spillway_backend", "ptu-east"))).isEqualTo(1);
    assertThat(e.value(name, labels("http_response_status_code", "400", "gen_ai_operation_name", "embeddings",
        "gen_ai_request_model", "embed", "spillway_backend", "embed-payg"))).isEqualTo(1);
    assertThat(e.value(name, labels("http_response_status_code", "401", "gen_ai_operation_name", "none",
        "gen_ai_request_model", "none", "spillway_backend", "none"))).isEqualTo(1);
    assertThat(e.value(name, labels("http_response_status_code", "200", "gen_ai_operation_name", "none",
        "gen_ai_request_model", "none", "spillway_backend", "none"))).isEqualTo(1);
    // A model that is not configured never becomes a label value: clients choose it.
    assertThat(e.value(name, labels("http_response_status_code", "404", "gen_ai_operation_name", "chat",
        "gen_ai_request_model", "none", "spillway_backend", "none"))).isEqualTo(1);
    assertThat(e.samples(name, Map.of()).stream().mapToDouble(Exposition.Sample::value).sum()).isEqualTo(7);
  }

  @Test
  void countsSpillsWhenPaygAnswersForAModelThatHasPtu() {
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, 200));
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, 200));
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", ptu, 200));
    metrics.onRequest(request(Operation.EMBEDDINGS, "embed", embedPayg, 200)); // PAYG-only model: no spill

    Exposition e = scrape();
    assertThat(e.value("spillway_spills_total", labels("gen_ai_request_model", "gpt-4o"))).isEqualTo(2);
    assertThat(e.samples("spillway_spills_total", labels("gen_ai_request_model", "embed"))).isEmpty();
  }

  // ---- histograms ----

  @Test
  void recordsReportedTokenUsageByType() {
    metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", ptu, false, TokenUsage.of(100, 10), 1000, -1));
    metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", ptu, false, TokenUsage.of(300, 30), 1000, -1));
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", ptu, 200)); // no usage reported: not zero
    metrics.onRequest(served(Operation.EMBEDDINGS, "embed", embedPayg, false, TokenUsage.of(50, 0), 20, -1));

    Exposition e = scrape();
    Map<String, String> input = labels("gen_ai_token_type", "input", "spillway_backend", "ptu-east",
        "gen_ai_request_model", "gpt-4o", "gen_ai_operation_name", "chat", "spillway_tier", "ptu");
    Map<String, String> output = labels("gen_ai_token_type", "output", "spillway_backend", "ptu-east");
    assertThat(e.value("gen_ai_client_token_usage_count", input)).isEqualTo(2);
    assertThat(e.value("gen_ai_client_token_usage_sum", input)).isEqualTo(400);
    assertThat(e.value("gen_ai_client_token_usage_bucket", with(input, "le", "256.0"))).isEqualTo(1);
    assertThat(e.value("gen_ai_client_token_usage_bucket", with(input, "le", "1024.0"))).isEqualTo(2);
    assertThat(e.value("gen_ai_client_token_usage_count", output)).isEqualTo(2);
    assertThat(e.value("gen_ai_client_token_usage_sum", output)).isEqualTo(40);
    assertThat(e.value("gen_ai_client_token_usage_bucket", with(output, "le", "16.0"))).isEqualTo(1);

    Map<String, String> embedInput = labels("gen_ai_token_type", "input", "spillway_backend", "embed-payg",
        "gen_ai_operation_name", "embeddings");
    assertThat(e.value("gen_ai_client_token_usage_sum", embedInput)).isEqualTo(50);
    assertThat(e.samples("gen_ai_client_token_usage_count", labels("gen_ai_token_type", "output",
        "spillway_backend", "embed-payg"))).isEmpty(); // embeddings produce no output tokens
    assertThat(e.families().get("gen_ai_client_token_usage").samples().stream()
        .map(s -> s.labels().get("le")).filter(le -> le != null).distinct().toList())
        .containsExactly("1.0", "4.0", "16.0", "64.0", "256.0", "1024.0", "4096.0", "16384.0", "65536.0",
            "262144.0", "1048576.0", "+Inf");
  }

  @Test
  void recordsDurationTimeToFirstTokenAndTimePerOutputToken() {
    // A stream: 2.1 s in all, first token after 100 ms, 40 tokens -> (2100 - 100) / 40 = 50 ms per token.
    metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, true, TokenUsage.of(10, 40), 2100, 100));
    // Not a stream: 1 s for 100 tokens -> 10 ms per token.
    metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, false, TokenUsage.of(10, 100), 1000, -1));
    // No completion tokens: no time per output token.
    metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, false, TokenUsage.of(10, 0), 300, -1));
    // Every backend failed: a duration without a backend, nothing per token.
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", null, 502));
    // Refused before routing: not a model call, so no gen_ai duration.
    metrics.onRequest(request(null, null, null, 401));

    Exposition e = scrape();
    Map<String, String> ok = labels("http_response_status_code", "200", "spillway_backend", "payg-west",
        "spillway_tier", "payg", "gen_ai_request_model", "gpt-4o", "gen_ai_operation_name", "chat");
    assertThat(e.value("gen_ai_server_request_duration_seconds_count", ok)).isEqualTo(3);
    assertThat(e.value("gen_ai_server_request_duration_seconds_sum", ok)).isCloseTo(3.4, within(1e-9));
    assertThat(e.value("gen_ai_server_request_duration_seconds_bucket", with(ok, "le", "0.32"))).isEqualTo(1);
    assertThat(e.value("gen_ai_server_request_duration_seconds_bucket", with(ok, "le", "1.28"))).isEqualTo(2);
    assertThat(e.value("gen_ai_server_request_duration_seconds_max", ok)).isCloseTo(2.1, within(1e-9));
    assertThat(e.value("gen_ai_server_request_duration_seconds_count",
        labels("http_response_status_code", "502", "spillway_backend", "none", "spillway_tier", "none")))
        .isEqualTo(1);
    assertThat(e.samples("gen_ai_server_request_duration_seconds_count", labels("http_response_status_code", "401")))
        .isEmpty();

    Map<String, String> served = labels("spillway_backend", "payg-west", "gen_ai_operation_name", "chat");
    assertThat(e.value("gen_ai_server_time_to_first_token_seconds_count", served)).isEqualTo(1);
    assertThat(e.value("gen_ai_server_time_to_first_token_seconds_sum", served)).isCloseTo(0.1, within(1e-9));
    assertThat(e.value("gen_ai_server_time_per_output_token_seconds_count", served)).isEqualTo(2);
    assertThat(e.value("gen_ai_server_time_per_output_token_seconds_sum", served)).isCloseTo(0.06, within(1e-9));
    assertThat(e.value("gen_ai_server_time_per_output_token_seconds_bucket", with(served, "le", "0.01")))
        .isEqualTo(1);
  }

  // ---- gauges ----

  @Test
  void backendGaugesFollowLiveState() {
    BackendState state = gpt.backend("ptu-east").orElseThrow();
    Map<String, String> ptuEast = labels("spillway_backend", "ptu-east", "gen_ai_request_model", "gpt-4o",
        "spillway_tier", "ptu", "spillway_region", "eastus");

    Exposition before = scrape();
    assertThat(before.value("spillway_backend_throttled", ptuEast)).isEqualTo(0);
    assertThat(breakerStates(before, "ptu-east")).isEqualTo(Map.of(
        "closed", 1.0, "open", 0.0, "half_open", 0.0, "forced_open", 0.0, "disabled", 0.0));
    assertThat(before.value("spillway_backend_inflight", ptuEast)).isEqualTo(0);
    assertThat(before.value("spillway_backend_utilization", ptuEast)).isNaN();
    assertThat(before.value("spillway_backend_remaining_tokens", ptuEast)).isNaN();
    assertThat(before.value("spillway_backend_throttled", labels("spillway_backend", "embed-payg")))
        .isEqualTo(0);
    assertThat(before.samples("spillway_backend_throttled", labels("spillway_backend", "embed-payg")).get(0).labels())
        .containsEntry("spillway_region", "none");

    state.throttleUntil(ticker.read() + Duration.ofSeconds(5).toNanos());
    state.breaker().forceOpen(ticker.read());
    state.callStarted();
    state.callStarted();
    state.reportUtilization(87.5, ticker.read());
    state.reportRemainingTokens(12_000, ticker.read());

    Exposition during = scrape();
    assertThat(during.value("spillway_backend_throttled", ptuEast)).isEqualTo(1);
    assertThat(during.value("spillway_backend_throttled", labels("spillway_backend", "payg-west"))).isEqualTo(0);
    assertThat(breakerStates(during, "ptu-east")).isEqualTo(Map.of(
        "closed", 0.0, "open", 0.0, "half_open", 0.0, "forced_open", 1.0, "disabled", 0.0));
    assertThat(during.value("spillway_backend_inflight", ptuEast)).isEqualTo(2);
    assertThat(during.value("spillway_backend_utilization", ptuEast)).isEqualTo(87.5);
    assertThat(during.value("spillway_backend_remaining_tokens", ptuEast)).isEqualTo(12_000);

    ticker.advance(Duration.ofSeconds(6));
    state.breaker().disable(ticker.read());
    state.callEnded();

    Exposition after = scrape();
    assertThat(after.value("spillway_backend_throttled", ptuEast)).isEqualTo(0);
    assertThat(breakerStates(after, "ptu-east")).isEqualTo(Map.of(
        "closed", 0.0, "open", 0.0, "half_open", 0.0, "forced_open", 0.0, "disabled", 1.0));
    assertThat(after.value("spillway_backend_inflight", ptuEast)).isEqualTo(1);
  }

  // ---- the exposition as a whole ----

  @Test
  void expositionIsWellFormedAndHasEveryFamily() {
    feedOneOfEverything();
    String text = metrics.scrape();

    Exposition e = Exposition.parse(text); // strict: TYPE for every sample, no duplicate series, sane histograms
    assertThat(e.families().keySet()).containsAll(Set.of(
        "gen_ai_client_token_usage",
        "gen_ai_server_request_duration_seconds",
        "gen_ai_server_time_to_first_token_seconds",
        "gen_ai_server_time_per_output_token_seconds",
        "spillway_requests_total",
        "spillway_attempts_total",
        "spillway_spills_total",
        "spillway_throttled_absorbed_total",
        "spillway_throttled_returned_total",
        "spillway_limit_rejections_total",
        "spillway_gateway_overhead_seconds",
        "spillway_backend_throttled",
        "spillway_backend_auth_held",
        "spillway_backend_breaker_state",
        "spillway_backend_inflight",
        "spillway_backend_utilization",
        "spillway_backend_remaining_tokens"));
    assertThat(e.families().get("gen_ai_server_request_duration_seconds").type()).isEqualTo("histogram");
    assertThat(e.families().get("spillway_requests_total").type()).isEqualTo("counter");
    assertThat(e.families().get("spillway_backend_breaker_state").type()).isEqualTo("gauge");
    assertThat(e.families().values()).allSatisfy(f -> assertThat(f.help()).isNotBlank());
    // 3 backends x (throttled + auth held + 5 breaker states + inflight + utilization + remaining)
    assertThat(e.families().entrySet().stream().filter(f -> f.getKey().startsWith("spillway_backend_"))
        .mapToInt(f -> f.getValue().samples().size()).sum()).isEqualTo(3 * 10);
  }

  @Test
  void noCredentialOrUrlInTheExposition() {
    feedOneOfEverything();
    String text = metrics.scrape();

    assertThat(text).doesNotContain(SECRET).doesNotContain("https://");
  }

  @Test
  void expositionPassesPromtool() throws Exception {
    Optional<Path> promtool = onPath("promtool");
    // test.sh installs it (scripts/ensure-promtool.sh); under CI its absence is a failure, not a skip.
    if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
      assertThat(promtool).as("promtool on PATH (CI is set; apt-get install prometheus)").isPresent();
    }
    Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed (apt-get install prometheus)");
    feedOneOfEverything();

    Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty(); // no error and no lint complaint
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void concurrentRecordingLosesNoEvent() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          BackendConfig b = i % 2 == 0 ? ptu : payg;
          metrics.onAttempt(attempt(b, AttemptResult.OK, 200, false));
          metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", b, false, TokenUsage.of(1, 1), 1, -1));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Exposition e = scrape();
    assertThat(e.samples("spillway_attempts_total", Map.of()).stream().mapToDouble(Exposition.Sample::value).sum())
        .isEqualTo(threads * perThread);
    assertThat(e.value("spillway_requests_total", labels("spillway_backend", "ptu-east")))
        .isEqualTo(threads * perThread / 2);
    assertThat(e.value("gen_ai_client_token_usage_count", labels("spillway_backend", "payg-west",
        "gen_ai_token_type", "input"))).isEqualTo(threads * perThread / 2);
  }

  // ---- helpers ----

  private Exposition scrape() {
    return Exposition.parse(metrics.scrape());
  }

  private void feedOneOfEverything() {
    metrics.onAttempt(attempt(ptu, AttemptResult.THROTTLED, 429, true));
    metrics.onAttempt(attempt(payg, AttemptResult.OK, 200, false));
    metrics.onRequest(served(Operation.CHAT_COMPLETIONS, "gpt-4o", payg, true, TokenUsage.of(10, 40), 2100, 100));
    metrics.onRequest(served(Operation.EMBEDDINGS, "embed", embedPayg, false, TokenUsage.of(50, 0), 20, -1));
    metrics.onRequest(request(Operation.CHAT_COMPLETIONS, "gpt-4o", null, 429));
    metrics.onRequest(request(null, null, null, 401));
    metrics.onRequest(RequestOutcome.builder("limited", 429).operation(Operation.CHAT_COMPLETIONS).model("gpt-4o")
        .durationNanos(MS).refusal(new RequestOutcome.Refusal("rate_limit_exceeded", Optional.of("tpm"))).build());
  }

  private static Map<String, Double> breakerStates(Exposition e, String backend) {
    return e.samples("spillway_backend_breaker_state", labels("spillway_backend", backend)).stream()
        .collect(Collectors.toMap(s -> s.labels().get("state"), Exposition.Sample::value));
  }

  private static AttemptOutcome attempt(BackendConfig backend, AttemptResult result, int status, boolean retried) {
    String model = backend.id().startsWith("embed") ? "embed" : "gpt-4o";
    return new AttemptOutcome(model, backend, result, status, retried, 5 * MS);
  }

  /** A request with no usage and no time to first token, 10 ms long. */
  private static RequestOutcome request(Operation op, String model, BackendConfig backend, int status) {
    return RequestOutcome.builder("req", status).operation(op).model(Optional.ofNullable(model))
        .backend(Optional.ofNullable(backend)).durationNanos(10 * MS).attempts(backend == null ? 0 : 1).build();
  }

  /** A 200 with usage; {@code ttftMillis} below 0 means none. */
  private static RequestOutcome served(
      Operation op, String model, BackendConfig backend, boolean stream, TokenUsage usage, long durationMillis,
      long ttftMillis) {
    return RequestOutcome.builder("req", 200).operation(op).model(model).backend(backend).stream(stream).usage(usage)
        .durationNanos(durationMillis * MS).timeToFirstTokenNanos(ttftMillis < 0 ? OptionalLong.empty() : OptionalLong.of(ttftMillis * MS))
        .attempts(1).build();
  }

  private static BackendConfig backend(String id, Tier tier, int priority, String region, BackendAuth auth) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create("https://" + id + ".openai.azure.com"))
        .deployment(id)
        .auth(auth)
        .tier(tier)
        .priority(priority)
        .region(region)
        .build();
  }

  private static Map<String, Pool> pools(Pool... pools) {
    Map<String, Pool> out = new LinkedHashMap<>();
    for (Pool p : pools) {
      out.put(p.name(), p);
    }
    return out;
  }

  private static Map<String, String> labels(String... keyValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put(keyValues[i], keyValues[i + 1]);
    }
    return out;
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    out.put(key, value);
    return out;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
