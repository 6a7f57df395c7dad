package dev.spillway.core.ledger;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.BillingUnits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One-line JSON form of a {@link UsageRecord}, used for spill segments. Time is ISO-8601 (exact round trip). Billing
 * units are {@code "unit"} (its wire name), {@code "units"} and {@code "unitsEstimated"}, written only when the record
 * has them; a line without them (every line written before they existed) reads as a record without units, and so does
 * a unit this version does not know (the row's tokens are kept rather than the line refused). Cache facts likewise:
 * {@code "savedPromptTokens"} and {@code "savedCompletionTokens"} when a hit saved any, {@code "promptPrefixHash"}
 * (a number) when the prompt had one; a line without them reads as {@link UsageRecord.CacheFacts#NONE}. The end user
 * is {@code "endUser"} when the request named one, the content guard's verdict {@code "safetyVerdict"} (its wire
 * name), {@code "safetyCategory"} and {@code "safetySeverity"} (0 to 7) when it did anything; a line without them
 * reads as {@link EndUser#NONE} and {@link SafetyVerdict#NONE}, a verdict this version does not know as none, a
 * category it cannot keep as empty, and a verdict without a severity (every line written before it existed) or with
 * one outside 0 to 7 as severity 0 (a spilled record is never dropped for its safety facts).
 */
public final class UsageRecordJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private UsageRecordJson() {
  }

  public static String toJson(UsageRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      write(r, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * Appends {@code r}'s line (UTF-8, with its closing newline) to {@code out}: the same text as {@link #toJson}, made
   * without building a tree or a String.
   */
  public static void appendLine(UsageRecord r, OutputStream out) throws IOException {
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      write(r, g);
    }
    out.write('\n');
  }

  private static void write(UsageRecord r, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("requestId", r.requestId());
    g.writeStringField("time", r.time().toString());
    g.writeStringField("consumer", r.consumer());
    g.writeStringField("team", r.team());
    g.writeStringField("clientIp", r.clientIp());
    g.writeStringField("route", r.route());
    g.writeStringField("model", r.model());
    g.writeStringField("backend", r.backend());
    g.writeStringField("tier", r.tier());
    g.writeStringField("region", r.region());
    g.writeNumberField("status", r.status());
    g.writeNumberField("promptTokens", r.promptTokens());
    g.writeNumberField("completionTokens", r.completionTokens());
    g.writeNumberField("cachedTokens", r.cachedTokens());
    g.writeNumberField("reasoningTokens", r.reasoningTokens());
    g.writeBooleanField("usageEstimated", r.usageEstimated());
    g.writeNumberField("latencyMillis", r.latencyMillis());
    if (r.ttftMillis() == null) {
      g.writeNullField("ttftMillis");
    } else {
      g.writeNumberField("ttftMillis", r.ttftMillis().longValue());
    }
    g.writeStringField("cacheStatus", r.cacheStatus());
    g.writeNumberField("attempts", r.attempts());
    g.writeBooleanField("spilled", r.spilled());
    g.writeStringField("spilledBy", r.spilledBy());
    if (!r.interruptedBy().isEmpty()) {
      g.writeStringField("interruptedBy", r.interruptedBy());
    }
    if (r.units().isPresent()) {
      BillingUnits u = r.units().get();
      g.writeStringField("unit", u.kind().wireName());
      g.writeNumberField("units", u.amount());
      g.writeBooleanField("unitsEstimated", u.estimated());
    }
    UsageRecord.CacheFacts cache = r.cache();
    if (cache.savedTokens() != 0) {
      g.writeNumberField("savedPromptTokens", cache.savedPromptTokens());
      g.writeNumberField("savedCompletionTokens", cache.savedCompletionTokens());
    }
    if (cache.promptPrefixHash().isPresent()) {
      g.writeNumberField("promptPrefixHash", cache.promptPrefixHash().getAsLong());
    }
    if (!r.endUser().isEmpty()) {
      g.writeStringField("endUser", r.endUser().id());
    }
    if (r.safety().any()) {
      g.writeStringField("safetyVerdict", r.safety().level().wireName());
      g.writeStringField("safetyCategory", r.safety().category());
      g.writeNumberField("safetySeverity", r.safety().severity());
    }
    g.writeEndObject();
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
      return UsageRecord.builder(n.get("requestId").asText(), Instant.parse(n.get("time").asText()))
          .consumer(text(n, "consumer")).team(text(n, "team")).clientIp(text(n, "clientIp")).route(text(n, "route"))
          .model(text(n, "model")).backend(text(n, "backend")).tier(text(n, "tier")).region(text(n, "region"))
          .status(n.path("status").asInt())
          .tokens(n.path("promptTokens").asLong(), n.path("completionTokens").asLong(),
              n.path("cachedTokens").asLong(), n.path("reasoningTokens").asLong())
          .usageEstimated(n.path("usageEstimated").asBoolean())
          .latencyMillis(n.path("latencyMillis").asLong())
          .ttftMillis(ttft == null || ttft.isNull() ? null : ttft.asLong())
          .cacheStatus(text(n, "cacheStatus"))
          .attempts(n.path("attempts").asInt())
          .spilled(n.path("spilled").asBoolean())
          .spilledBy(text(n, "spilledBy")) // absent in segments written before the column existed
          .interruptedBy(text(n, "interruptedBy"))
          .units(units(n))
          .cache(cache(n))
          .endUser(EndUser.of(text(n, "endUser")))
          .safety(safety(n))
          .build();
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

  private static SafetyVerdict safety(JsonNode n) {
    Optional<SafetyVerdict.Level> level = Optional.ofNullable(text(n, "safetyVerdict"))
        .flatMap(SafetyVerdict.Level::fromWireName);
    if (level.isEmpty() || level.get() == SafetyVerdict.Level.NONE) {
      return SafetyVerdict.NONE;
    }
    JsonNode given = n.get("safetySeverity");
    int severity = given != null && given.isIntegralNumber() && given.canConvertToInt()
        && given.asInt() >= SafetyVerdict.MIN_SEVERITY && given.asInt() <= SafetyVerdict.MAX_SEVERITY
        ? given.asInt() : SafetyVerdict.MIN_SEVERITY;
    try {
      return new SafetyVerdict(level.get(), text(n, "safetyCategory"), severity);
    } catch (IllegalArgumentException unkeepable) {
      return new SafetyVerdict(level.get(), "", severity);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
