package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.FaultMatrixWorld.ClientView;
import dev.spillway.gateway.FaultMatrixWorld.LedgerRow;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.faults.UpstreamFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: every {@link UpstreamFault} of a raw TCP backend, for a plain and a streamed request, with a healthy
 * backend behind the faulty one and without. For each case it asserts what the client got (status and OpenAI error
 * code, or the SSE error event a stream ended with), whether the healthy backend served it instead, the faulty
 * backend's breaker and throttle afterwards ({@code GET /admin/backends}), and the request's outcome and ledger row
 * (status, attempts). The rule under test: a fault before the first byte reached the client is retried on the next
 * backend; after it, the stream ends with an {@code upstream_stream_interrupted} error event, is booked 502 and blamed
 * on the backend.
 * The observed matrix is written to {@code target/fault-matrix.md} (and to {@code -Dspillway.faultTable=<path>}).
 */
class FaultMatrixTest {
  private static FaultMatrixWorld world;
  private static final Map<String, FaultMatrixTable.Observed> OBSERVED = new ConcurrentSkipListMap<>();

  /**
   * What a case must show.
   *
   * @param status the client's HTTP status
   * @param code the OpenAI error code of the JSON answer or of the stream's error event, empty for a clean answer
   * @param retried true when the healthy backend served the request after the faulty one
   * @param breakerOpen the faulty backend's breaker afterwards
   * @param throttled whether the faulty backend is throttled afterwards
   * @param booked the outcome's (and the ledger row's) status
   * @param interruptedBy {@code backend} for a stream broken after its head went out, else empty
   */
  record Expect(int status, Optional<String> code, boolean retried, boolean breakerOpen, boolean throttled, int booked,
      Optional<String> interruptedBy) {
    static Expect servedByTheHealthyBackend(boolean breakerOpen) {
      return new Expect(200, Optional.empty(), true, breakerOpen, false, 200, Optional.empty());
    }

    static Expect refused(int status, String code, boolean breakerOpen) {
      return new Expect(status, Optional.of(code), false, breakerOpen, false, status, Optional.empty());
    }

    static Expect passedOn() {
      return new Expect(200, Optional.empty(), false, false, false, 200, Optional.empty());
    }

    static Expect interrupted() {
      return new Expect(200, Optional.of("upstream_stream_interrupted"), false, true, false, 502, Optional.of("backend"));
    }

    Expect throttledToo() {
      return new Expect(status, code, retried, breakerOpen, true, booked, interruptedBy);
    }
  }

  /** The documented behaviour of each case. */
  static Expect expected(FaultCase c) {
    boolean pool = c.pooled();
    return switch (c.fault()) {
      case RATE_LIMITED ->
          (pool ? Expect.servedByTheHealthyBackend(false) : Expect.refused(429, "rate_limit_exceeded", false)).throttledToo();
      // A backend's own 5xx is passed on as it came when no other backend did better.
      case SERVER_ERROR -> pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(500, "InternalServerError", true);
      case REFUSED, RESET_BEFORE_HEADERS, GARBAGE ->
          pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(502, "upstream_unreachable", true);
      case RESET_MID_BODY, RESET_MID_STREAM ->
          c.stream() ? Expect.interrupted()
              : pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(502, "upstream_unreachable", true);
      case HANG_BEFORE_HEADERS -> pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(504, "upstream_timeout", true);
      case HANG_MID_STREAM ->
          c.stream() ? Expect.interrupted()
              : pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(504, "upstream_timeout", true);
      // One byte per 50 ms: the total timeout comes before the first complete event, so nothing reached the client yet
      // and the request is tried elsewhere, stream or not.
      case SLOW_DRIP -> pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(504, "upstream_timeout", true);
      // Bytes of an SSE stream pass through unchanged: events that are not JSON reach the client as they are.
      case NOT_JSON, SSE_ANSWER ->
          c.stream() ? Expect.passedOn()
              : pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(502, "upstream_invalid_response", true);
      case HTML -> pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(502, "upstream_invalid_response", true);
      // A plain answer that declares more than the gateway buffers is an invalid answer at its head; a stream without
      // end is cut at the total timeout.
      case ENORMOUS ->
          c.stream() ? Expect.interrupted()
              : pool ? Expect.servedByTheHealthyBackend(true) : Expect.refused(502, "upstream_invalid_response", true);
    };
  }

  static Stream<FaultCase> cases() {
    return FaultCase.all().stream();
  }

  /** Every log record of SEVERE level while the cases ran: an expected backend fault is never one. */
  private static final java.util.List<java.util.logging.LogRecord> SEVERE =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final java.util.logging.Handler SEVERE_CAPTURE = new java.util.logging.Handler() {
    @Override
    public void publish(java.util.logging.LogRecord r) {
      if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
        SEVERE.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void start() throws IOException {
    java.util.logging.Logger.getLogger("").addHandler(SEVERE_CAPTURE);
    world = new FaultMatrixWorld(FaultCase.all().stream().map(FaultCase::model).toList());
  }

  @org.junit.jupiter.api.AfterEach
  void noFaultIsLoggedAsAnError() {
    assertThat(SEVERE).extracting(java.util.logging.LogRecord::getMessage).as("SEVERE log records").isEmpty();
  }

  @AfterAll
  static void stop() throws IOException {
    java.util.logging.Logger.getLogger("").removeHandler(SEVERE_CAPTURE);
    if (world != null) {
      world.close();
    }
    String table = FaultMatrixTable.markdown(OBSERVED);
    Files.writeString(Path.of("target", "fault-matrix.md"), table);
    String target = System.getProperty("spillway.faultTable");
    if (target != null && !target.isBlank()) {
      Files.writeString(Path.of(target), table);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachFaultHasItsDocumentedAnswerBreakerAndLedgerRow(FaultCase c) throws Exception {
    Expect expect = expected(c);
    String model = c.model();

    ClientView client = world.call(model, c.stream());
    RequestOutcome outcome = world.outcome(model);
    List<AttemptOutcome> attempts =
        world.world.listener.attempts.stream().filter(a -> a.requestId().equals(outcome.requestId())).toList();
    JsonNode admin = world.adminView(model);
    LedgerRow row = world.ledgerRow(outcome.requestId());
    Optional<String> interruptedBy = interruptedBy(outcome);
    boolean servedByHealthy = client.backend().orElse("").equals(FaultMatrixWorld.healthyId(model));
    OBSERVED.put(model, new FaultMatrixTable.Observed(c, client, servedByHealthy, admin, row, attempts, interruptedBy));

    assertThat(client.status()).as("client status").isEqualTo(expect.status());
    assertThat(client.errorCode()).as("client error code").isEqualTo(expect.code());
    if (expect.status() == 200 && expect.code().isEmpty() && c.stream()) {
      assertThat(client.done()).as("the stream ends with [DONE]").isTrue();
    }
    assertThat(servedByHealthy).as("served by the healthy backend").isEqualTo(expect.retried());
    assertThat(attempts.getFirst().backend().id()).as("the faulty backend is tried first")
        .isEqualTo(FaultMatrixWorld.faultyId(model));
    assertThat(outcome.attempts()).as("attempts").isEqualTo(expect.retried() ? 2 : 1);
    // A counted failure opens the breaker. Alone in its pool, a backend that failed before the answer began shows
    // half-open: the request asked the router again, every breaker of the pool was open, and the pool's last backend
    // was put on trial (then passed over, as this request had tried it). A stream broken later never asks again.
    String tripped = c.pooled() || expect.interruptedBy().isPresent() ? "OPEN" : "HALF_OPEN";
    assertThat(admin.path("breaker").path("state").asText()).as("breaker after")
        .isEqualTo(expect.breakerOpen() ? tripped : "CLOSED");
    assertThat(admin.path("throttledForMs").asLong() > 0).as("throttled after").isEqualTo(expect.throttled());
    assertThat(outcome.status()).as("booked status").isEqualTo(expect.booked());
    assertThat(row.status()).as("ledger status").isEqualTo(expect.booked());
    assertThat(row.attempts()).as("ledger attempts").isEqualTo(outcome.attempts());
    if (expect.interruptedBy().isPresent()) {
      assertThat(attempts).extracting(AttemptOutcome::result).containsExactly(AttemptResult.STREAM_INTERRUPTED);
    }
    assertThat(interruptedBy).as("interruptedBy").isEqualTo(expect.interruptedBy());
    assertThat(row.interruptedBy()).as("ledger interrupted_by").isEqualTo(expect.interruptedBy());
  }

  /** Who broke the stream ({@code backend}, {@code client}, {@code shutdown}); empty when nobody did. */
  private static Optional<String> interruptedBy(RequestOutcome outcome) {
    return Optional.of(outcome.interruptedBy()).filter(s -> !s.isEmpty());
  }
}
