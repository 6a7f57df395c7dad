package dev.spillway.core.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.usage.BillingUnits;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One-line JSON form of a {@link UsageRecord}, used for spill segments. Time is ISO-8601 (exact round trip). Billing
 * units are {@code "unit"} (its wire name), {@code "units"} and {@code "unitsEstimated"}, written only when the record
 * has them; a line without them (every line written before they existed) reads as a record without units, and so does
 * a unit this version does not know (the row's tokens are kept rather than the line refused). Cache facts likewise:
 * {@code "savedPromptTokens"} and {@code "savedCompletionTokens"} when a hit saved any, {@code "promptPrefixHash"}
 * (a number) when the prompt had one; a line without them reads as {@link UsageRecord.CacheFacts#NONE}.
 */
public final class UsageRecordJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private UsageRecordJson() {
  }

  public static String toJson(UsageRecord r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("requestId", r.requestId());
    n.put("time", r.time().toString());
    n.put("consumer", r.consumer());
    n.put("team", r.team());
    n.put("clientIp", r.clientIp());
    n.put("route", r.route());
    n.put("model", r.model());
    n.put("backend", r.backend());
    n.put("tier", r.tier());
    n.put("region", r.region());
    n.put("status", r.status());
    n.put("promptTokens", r.promptTokens());
    n.put("completionTokens", r.completionTokens());
    n.put("cachedTokens", r.cachedTokens());
    n.put("reasoningTokens", r.reasoningTokens());
    n.put("usageEstimated", r.usageEstimated());
    n.put("latencyMillis", r.latencyMillis());
    if (r.ttftMillis() == null) {
      n.putNull("ttftMillis");
    } else {
      n.put("ttftMillis", r.ttftMillis().longValue());
    }
    n.put("cacheStatus", r.cacheStatus());
    n.put("attempts", r.attempts());
    n.put("spilled", r.spilled());
    n.put("spilledBy", r.spilledBy());
    if (!r.interruptedBy().isEmpty()) {
      n.put("interruptedBy", r.interruptedBy());
    }
    r.units().ifPresent(u -> {
      n.put("unit", u.kind().wireName());
      n.put("units", u.amount());
      n.put("unitsEstimated", u.estimated());
    });
    UsageRecord.CacheFacts cache = r.cache();
    if (cache.savedTokens() != 0) {
      n.put("savedPromptTokens", cache.savedPromptTokens());
      n.put("savedCompletionTokens", cache.savedCompletionTokens());
    }
    cache.promptPrefixHash().ifPresent(h -> n.put("promptPrefixHash", h));
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses one line; throws {@link IllegalArgumentException} on malformed input (e.g. a torn last line). */
  public static UsageRecord fromJson(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed usage record line", e);
    }
    if (n == null || !n.isObject() || !n.hasNonNull("requestId") || !n.hasNonNull("time")) {
      throw new IllegalArgumentException("malformed usage record line");
    }
    try {
      JsonNode ttft = n.get("ttftMillis");
      return new UsageRecord(
          n.get("requestId").asText(),
          Instant.parse(n.get("time").asText()),
          text(n, "consumer"), text(n, "team"), text(n, "clientIp"), text(n, "route"),
          text(n, "model"), text(n, "backend"), text(n, "tier"), text(n, "region"),
          n.path("status").asInt(),
          n.path("promptTokens").asLong(),
          n.path("completionTokens").asLong(),
          n.path("cachedTokens").asLong(),
          n.path("reasoningTokens").asLong(),
          n.path("usageEstimated").asBoolean(),
          n.path("latencyMillis").asLong(),
          ttft == null || ttft.isNull() ? null : ttft.asLong(),
          text(n, "cacheStatus"),
          n.path("attempts").asInt(),
          n.path("spilled").asBoolean(),
          text(n, "spilledBy"), // absent in segments written before the column existed
          text(n, "interruptedBy"),
          units(n),
          cache(n));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed usage record line", e);
    }
  }

  private static Optional<BillingUnits> units(JsonNode n) {
    String unit = text(n, "unit");
    JsonNode amount = n.get("units");
    if (unit == null || amount == null || !amount.isNumber()) {
      return Optional.empty();
    }
    return BillingUnits.Kind.fromWireName(unit)
        .map(kind -> new BillingUnits(kind, amount.asDouble(), n.path("unitsEstimated").asBoolean()));
  }

  private static UsageRecord.CacheFacts cache(JsonNode n) {
    JsonNode hash = n.get("promptPrefixHash");
    OptionalLong prefix = hash != null && hash.isIntegralNumber() && hash.canConvertToLong()
        ? OptionalLong.of(hash.asLong())
        : OptionalLong.empty();
    long prompt = n.path("savedPromptTokens").asLong();
    long completion = n.path("savedCompletionTokens").asLong();
    if (prompt == 0 && completion == 0 && prefix.isEmpty()) {
      return UsageRecord.CacheFacts.NONE;
    }
    return new UsageRecord.CacheFacts(prompt, completion, prefix);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
