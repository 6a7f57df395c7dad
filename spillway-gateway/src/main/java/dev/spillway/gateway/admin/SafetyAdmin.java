package dev.spillway.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.abuse.AbuseAction;
import dev.spillway.core.guard.abuse.EndUser;
import dev.spillway.core.guard.abuse.Score;
import dev.spillway.gateway.guard.SafetyMonitor;
import dev.spillway.gateway.http.Json;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /admin/safety}: what the guards found in this process — requests, flagged and blocked since start and their
 * ratio; the recent events by category and severity, per minute over the last hour (by category) and by source; the
 * potentially abusive end users (score, trend, requests, flagged, per category, the action in force); the last 50
 * events (with a hash of the matched text, never the text); the audit of actions. And {@code POST /admin/safety/lift?consumer=&user=}, which lifts an end user's throttle or suspension.
 */
final class SafetyAdmin {
  private static final long MINUTE = 60_000;

  private final SafetyMonitor monitor;

  SafetyAdmin(SafetyMonitor monitor) {
    this.monitor = monitor;
  }

  ObjectNode report() {
    long now = monitor.nowMillis();
    ObjectNode root = Json.MAPPER.createObjectNode();
    long[] t = monitor.totals();
    root.put("requests", t[0]).put("flagged", t[1]).put("blocked", t[2])
        .put("blockedRatio", t[0] == 0 ? 0.0 : (double) t[2] / t[0]);
    Map<String, Long> byCategory = new TreeMap<>();
    Map<String, Long> bySeverity = new TreeMap<>();
    Map<String, Long> bySource = new TreeMap<>();
    Map<Long, Map<String, Long>> perMinute = new TreeMap<>();
    List<SafetyMonitor.SafetyEvent> events = monitor.events();
    for (SafetyMonitor.SafetyEvent e : events) {
      String key = e.category() + "|" + e.action().name().toLowerCase(java.util.Locale.ROOT);
      byCategory.merge(key, 1L, Long::sum);
      bySeverity.merge(Integer.toString(e.severity()), 1L, Long::sum);
      bySource.merge(e.source() + "|" + e.direction(), 1L, Long::sum);
      if (e.action() == GuardAction.BLOCK && e.atMillis() > now - 60 * MINUTE) {
        perMinute.computeIfAbsent(e.atMillis() / MINUTE * MINUTE, m -> new TreeMap<>()).merge(e.category(), 1L, Long::sum);
      }
    }
    ObjectNode cats = root.putObject("byCategory");
    byCategory.forEach((k, v) -> {
      String[] parts = k.split("\\|");
      child(cats, parts[0]).put(parts[1], v);
    });
    ObjectNode sev = root.putObject("bySeverity");
    bySeverity.forEach(sev::put);
    ObjectNode src = root.putObject("bySource");
    bySource.forEach((k, v) -> {
      String[] parts = k.split("\\|");
      child(src, parts[0]).put(parts[1], v);
    });
    ArrayNode minutes = root.putArray("blockedPerMinute");
    perMinute.forEach((minute, counts) -> {
      ObjectNode m = minutes.addObject().put("minute", java.time.Instant.ofEpochMilli(minute).toString());
      counts.forEach(m::put);
    });
    ArrayNode users = root.putArray("abusiveUsers");
    for (Score s : monitor.topUsers(50)) {
      ObjectNode u = users.addObject();
      u.put("consumer", s.user().consumer()).put("user", s.user().id())
          .put("score", Math.round(s.score() * 1000) / 1000.0).put("trend", s.trend())
          .put("requests", s.requests()).put("flagged", s.flagged())
          .put("action", monitor.actionFor(s.user()).name().toLowerCase(java.util.Locale.ROOT));
      ObjectNode c = u.putObject("categories");
      s.categories().forEach(c::put);
    }
    ArrayNode recent = root.putArray("recentEvents");
    for (int i = Math.max(0, events.size() - 50); i < events.size(); i++) {
      SafetyMonitor.SafetyEvent e = events.get(i);
      recent.addObject().put("at", java.time.Instant.ofEpochMilli(e.atMillis()).toString()).put("requestId", e.requestId())
          .put("consumer", e.consumer()).put("team", e.team()).put("user", e.endUser()).put("category", e.category())
          .put("severity", e.severity()).put("action", e.action().name().toLowerCase(java.util.Locale.ROOT))
          .put("source", e.source()).put("direction", e.direction()).put("rule", e.ruleId())
          .put("matchHash", e.matchHash());
    }
    ArrayNode audit = root.putArray("audit");
    for (SafetyMonitor.Audit a : monitor.audits()) {
      audit.addObject().put("at", java.time.Instant.ofEpochMilli(a.atMillis()).toString())
          .put("consumer", a.user().consumer()).put("user", a.user().id())
          .put("action", a.action() == AbuseAction.NONE ? "lifted" : a.action().name().toLowerCase(java.util.Locale.ROOT))
          .put("score", Math.round(a.score() * 1000) / 1000.0).put("by", a.by());
    }
    root.put("note", "this replica's view since it started; the ledger's safety columns hold every replica's rows");
    return root;
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
  }

  /** The lift's answer, or the 400 for a query without its consumer and user. */
  Object lift(HttpServerRequest request) {
    String consumer = request.getParam("consumer");
    String user = request.getParam("user");
    if (consumer == null || consumer.isBlank() || user == null || user.isBlank()) {
      return GatewayError.invalidParameter(consumer == null || consumer.isBlank() ? "consumer" : "user",
          "POST /admin/safety/lift needs ?consumer= and ?user=");
    }
    AbuseAction was = monitor.lift(new EndUser(consumer, user), "admin");
    return Json.MAPPER.createObjectNode().put("consumer", consumer).put("user", user)
        .put("lifted", was.name().toLowerCase(java.util.Locale.ROOT));
  }
}
