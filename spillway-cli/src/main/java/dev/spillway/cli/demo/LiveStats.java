package dev.spillway.cli.demo;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the demo's table shows, per backend and for the clients. Thread-safe. */
public final class LiveStats implements GatewayListener {

  /** Counters of one backend. */
  public static final class BackendRow {
    final String model;
    final BackendConfig backend;
    final LongAdder served = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder absorbed = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder tokens = new LongAdder();
    final LatencyWindow latency = new LatencyWindow(2048);

    BackendRow(String model, BackendConfig backend) {
      this.model = model;
      this.backend = backend;
    }

    public long served() {
      return served.sum();
    }

    public long throttled() {
      return throttled.sum();
    }

    public long absorbed() {
      return absorbed.sum();
    }

    public long tokens() {
      return tokens.sum();
    }
  }

  private final Map<String, BackendRow> rows = new LinkedHashMap<>();
  private final LongAdder clientOk = new LongAdder();
  private final LongAdder client429 = new LongAdder();
  private final LongAdder limitRefusals = new LongAdder();
  private final LongAdder clientOther = new LongAdder();

  public LiveStats(Map<String, List<BackendConfig>> backendsByModel) {
    backendsByModel.forEach(
        (model, backends) -> backends.forEach(b -> rows.put(b.id(), new BackendRow(model, b))));
  }

  @Override
  public void onAttempt(AttemptOutcome attempt) {
    BackendRow row = rows.get(attempt.backend().id());
    if (row == null) {
      return;
    }
    if (attempt.result() == AttemptResult.THROTTLED) {
      row.throttled.increment();
      if (attempt.retried()) {
        row.absorbed.increment();
      }
    } else if (attempt.result() != AttemptResult.OK && attempt.result() != AttemptResult.CLIENT_ERROR) {
      row.failures.increment();
    }
  }

  @Override
  public void onRequest(RequestOutcome request) {
    if (request.status() >= 200 && request.status() < 300) {
      clientOk.increment();
    } else if (request.refusal().filter(RequestOutcome.Refusal::byLimit).isPresent()) {
      limitRefusals.increment();
    } else if (request.status() == 429) {
      client429.increment();
    } else {
      clientOther.increment();
    }
    request
        .backend()
        .map(b -> rows.get(b.id()))
        .ifPresent(
            row -> {
              if (request.status() >= 200 && request.status() < 300) {
                row.served.increment();
                row.latency.add(request.durationNanos());
                request.usage().ifPresent(u -> row.tokens.add(u.totalTokens()));
              }
            });
  }

  public Map<String, BackendRow> rows() {
    return rows;
  }

  public long clientOk() {
    return clientOk.sum();
  }

  public long client429() {
    return client429.sum();
  }

  /** Requests a consumer's rate limit or quota refused (not counted in {@link #client429()}). */
  public long limitRefusals() {
    return limitRefusals.sum();
  }

  public long clientOther() {
    return clientOther.sum();
  }
}
