package dev.spillway.gateway.limits;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.limits.Admission;
import dev.spillway.core.limits.CounterKeys;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.core.limits.LimitRule;
import dev.spillway.core.limits.LimitStore;
import dev.spillway.core.limits.LimitStoreUnavailableException;
import dev.spillway.core.limits.Remaining;
import dev.spillway.gateway.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admission by the caller's token limits: builds the request's limit checks from its consumer's
 * settings (counter keys from the configured dimensions), reserves the estimated cost in the
 * store, and settles the reservation with the real usage when the response ends. Refusals become
 * 429 (a rate; with {@code Retry-After}) or 403 (a quota), naming the limit and when it resets.
 */
public final class LimitAdmission {
  private static final Logger LOG = System.getLogger("spillway.limits");

  private final LimitStore store;
  private final long defaultMaxTokens;

  /**
   * @param defaultMaxTokens output tokens reserved for a request that sets no {@code max_tokens}
   */
  public LimitAdmission(LimitStore store, long defaultMaxTokens) {
    this.store = store;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  public long defaultMaxTokens() {
    return defaultMaxTokens;
  }

  /**
   * Adds the limit store's state to the readiness body when it is shared: a Redis store that fell back to local
   * counting (failOpen) is reported as degraded, with how often it did.
   */
  public void health(com.fasterxml.jackson.databind.node.ObjectNode ready) {
    if (store instanceof dev.spillway.gateway.store.redis.RedisLimitStore redis) {
      ready.put("limitStore", redis.degraded() ? "degraded" : "redis");
      ready.put("limitStoreFallbacks", redis.fallbackCount());
    }
  }

  /** The shared Redis store, when limits are counted in Redis: what the metrics report on. */
  public java.util.Optional<dev.spillway.gateway.store.redis.RedisLimitStore> redisStore() {
    return store instanceof dev.spillway.gateway.store.redis.RedisLimitStore redis
        ? java.util.Optional.of(redis)
        : java.util.Optional.empty();
  }

  /** Releases the store's connections. */
  public void close() {
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing the limit store failed: " + e.getClass().getSimpleName());
      }
    }
  }

  /** What admission decided: the ticket to settle later, or the refusal to answer. */
  public sealed interface Decision {
    record Admitted(LimitTicket ticket) implements Decision {}

    record Refused(GatewayError error) implements Decision {}
  }

  /**
   * The checks for this request; empty when its consumer has no limits.
   *
   * @param headers the request's headers (for {@code header:} dimensions)
   */
  public static List<LimitCheck> checks(Principal principal, MultiMap headers, String clientIp, String model) {
    if (principal.consumer().isEmpty() || principal.consumer().get().limits().isEmpty()) {
      return List.of();
    }
    ConsumerConfig consumer = principal.consumer().get();
    LimitSettings settings = consumer.limits();
    boolean keepable = onlyConsumerTeamModel(settings.per());
    if (keepable) {
      List<LimitCheck> kept = ConsumerChecks.get(consumer, model);
      if (kept != null) {
        return kept;
      }
    }
    Map<String, String> dimensions = new LinkedHashMap<>();
    for (String d : settings.per()) {
      String value =
          switch (d) {
            case "consumer" -> principal.consumerId();
            case "team" -> principal.team();
            case "clientIp" -> clientIp.isEmpty() ? "-" : clientIp;
            case "model" -> model;
            default -> Optional.ofNullable(headers.get(d.substring("header:".length()))).orElse("-");
          };
      dimensions.put(d, value);
    }
    String key = CounterKeys.compose(dimensions);
    List<LimitCheck> checks = new ArrayList<>();
    for (Map.Entry<LimitKind, Long> e : settings.limits().entrySet()) {
      checks.add(new LimitCheck(key, new LimitRule(e.getKey(), e.getValue())));
    }
    if (keepable) {
      List<LimitCheck> immutable = List.copyOf(checks);
      ConsumerChecks.put(consumer, model, immutable);
      return immutable;
    }
    return checks;
  }

  /** True when the counter key depends on the consumer's own config and the model only (no header, no address). */
  private static boolean onlyConsumerTeamModel(List<String> per) {
    for (String d : per) {
      if (!d.equals("consumer") && !d.equals("team") && !d.equals("model")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reserves {@code tokens}; completes with the decision (a refusal is a value). The future fails only on a bug.
   *
   * @param nowEpochMillis the wall-clock time the quota windows are counted in
   */
  public Future<Decision> reserve(String requestId, List<LimitCheck> checks, long tokens, long nowEpochMillis) {
    if (checks.isEmpty()) {
      return Future.succeededFuture(new Decision.Admitted(LimitTicket.NONE));
    }
    return Future.fromCompletionStage(store.reserve(requestId, checks, tokens, nowEpochMillis))
        .map(
            admission ->
                switch (admission) {
                  case Admission.Allowed allowed -> (Decision) new Decision.Admitted(new LimitTicket(checks, tokens, allowed));
                  case Admission.Denied denied -> new Decision.Refused(refusal(denied));
                })
        .otherwise(
            e ->
                new Decision.Refused(
                    e instanceof LimitStoreUnavailableException ? GatewayError.limitsUnavailable() : GatewayError.internal()));
  }

  /** Replaces the reservation by the real usage; failures are logged, never the client's problem. */
  public void settle(String requestId, LimitTicket ticket, long actualTokens, long nowEpochMillis) {
    if (!ticket.limited()) {
      return;
    }
    store
        .settle(requestId, ticket.checks(), ticket.reservedTokens(), actualTokens, nowEpochMillis)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.log(Level.WARNING, "limit settlement failed for request " + requestId + ": " + e.getClass().getSimpleName());
              }
            });
  }

  static GatewayError refusal(Admission.Denied denied) {
    return denied.quota() || denied.exceedsWholeLimit()
        ? GatewayError.quotaExceeded(denied.check().kind().id(), denied.message())
        : GatewayError.rateLimited(denied.check().kind().id(), denied.message(), denied.retryAfterMillis());
  }

  /** The caller's own limits, replacing whatever a backend said in {@code x-ratelimit-*}. */
  public static void headers(MultiMap headers, LimitTicket ticket) {
    if (!ticket.limited()) {
      return;
    }
    headers.remove("x-ratelimit-limit-tokens");
    headers.remove("x-ratelimit-remaining-tokens");
    headers.remove("x-ratelimit-limit-requests");
    headers.remove("x-ratelimit-remaining-requests");
    headers.remove("x-ratelimit-reset-tokens");
    headers.remove("x-ratelimit-reset-requests");
    Optional<Remaining> tokens = ticket.allowed().tightestTokens();
    if (tokens.isPresent()) {
      headers.set("x-ratelimit-limit-tokens", Long.toString(tokens.get().limit()));
      headers.set("x-ratelimit-remaining-tokens", Long.toString(tokens.get().remaining()));
    }
    Optional<Remaining> requests = ticket.allowed().tightestRequests();
    if (requests.isPresent()) {
      headers.set("x-ratelimit-limit-requests", Long.toString(requests.get().limit()));
      headers.set("x-ratelimit-remaining-requests", Long.toString(requests.get().remaining()));
    }
  }
}
