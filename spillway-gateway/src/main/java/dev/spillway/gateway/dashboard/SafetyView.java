package dev.spillway.gateway.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.abuse.Score;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.gateway.guard.SafetyMonitor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's safety panel: per second, the requests a guard blocked, masked or logged (the gateway's guard and
 * Azure's filters alike); over the window, the flagged ones by category; and the end users the abuse monitoring
 * scores highest, with the action in force. The end users' ids are shown: the dashboard is behind the admin access.
 */
final class SafetyView {
  static final SafetyVerdict.Level[] SHOWN = {
    SafetyVerdict.Level.BLOCKED, SafetyVerdict.Level.MASKED, SafetyVerdict.Level.LOGGED
  };

  private SafetyView() {}

  /** One second's safety tally. Under {@link DashboardStats}'s monitor. */
  static final class Tally {
    final long[] byLevel = new long[SafetyVerdict.Level.values().length];
    final Map<String, Long> byCategory = new HashMap<>();

    void add(SafetyVerdict v) {
      if (v.level() != SafetyVerdict.Level.NONE) {
        byLevel[v.level().ordinal()]++;
        byCategory.merge(v.category(), 1L, Long::sum);
      }
    }

    void clear() {
      Arrays.fill(byLevel, 0);
      byCategory.clear();
    }
  }

  static void write(ObjectNode out, DashboardStats stats, long first, long last, long windowFirst, long windowLast,
      SafetyMonitor monitor) {
    ObjectNode series = out.putObject("series");
    for (SafetyVerdict.Level level : SHOWN) {
      ArrayNode values = series.putArray(level.wireName());
      for (long t = first; t <= last; t++) {
        SecondSlot slot = stats.existing(t);
        values.add(slot == null ? 0 : slot.safety.byLevel[level.ordinal()]);
      }
    }
    long[] totals = new long[SafetyVerdict.Level.values().length];
    Map<String, Long> categories = new TreeMap<>();
    for (long t = windowFirst; t <= windowLast; t++) {
      SecondSlot slot = stats.existing(t);
      if (slot != null) {
        for (int i = 0; i < totals.length; i++) {
          totals[i] += slot.safety.byLevel[i];
        }
        slot.safety.byCategory.forEach((c, n) -> categories.merge(c, n, Long::sum));
      }
    }
    ObjectNode counts = out.putObject("counts");
    for (SafetyVerdict.Level level : SHOWN) {
      counts.put(level.wireName(), totals[level.ordinal()]);
    }
    ObjectNode byCategory = out.putObject("byCategory");
    categories.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
        .forEach(e -> byCategory.put(e.getKey(), e.getValue()));
    ArrayNode users = out.putArray("topUsers");
    if (monitor != null) {
      for (Score s : monitor.topUsers(5)) {
        users.addObject().put("consumer", s.user().consumer()).put("user", s.user().id())
            .put("score", Math.round(s.score() * 100) / 100.0).put("trend", s.trend()).put("flagged", s.flagged())
            .put("action", monitor.actionFor(s.user()).name().toLowerCase(java.util.Locale.ROOT));
      }
    }
  }
}
