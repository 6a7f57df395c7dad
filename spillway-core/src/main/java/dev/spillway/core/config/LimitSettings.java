package dev.spillway.core.config;

import dev.spillway.core.limits.LimitKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer's token limits: rates per minute and quotas per fixed UTC period, counted per key
 * composed of the {@code per} dimensions.
 *
 * @param limits limit per kind (tokens/requests per minute, tokens per hour ... year)
 * @param per counter key dimensions, in order: {@code consumer}, {@code team}, {@code clientIp},
 *     {@code model}, {@code header:<name>}
 */
public record LimitSettings(Map<LimitKind, Long> limits, List<String> per) {
  public static final List<String> DEFAULT_PER = List.of("consumer");
  public static final LimitSettings NONE = new LimitSettings(Map.of(), DEFAULT_PER);

  public LimitSettings {
    EnumMap<LimitKind, Long> copy = new EnumMap<>(LimitKind.class);
    copy.putAll(limits);
    limits = Collections.unmodifiableMap(copy);
    per = List.copyOf(per.isEmpty() ? DEFAULT_PER : per);
    for (Map.Entry<LimitKind, Long> e : limits.entrySet()) {
      if (e.getValue() < 1) {
        throw new IllegalArgumentException(e.getKey().description() + " must be at least 1");
      }
    }
    for (String d : per) {
      if (!isDimension(d)) {
        throw new IllegalArgumentException("unknown limit dimension " + d);
      }
    }
  }

  public boolean isEmpty() {
    return limits.isEmpty();
  }

  public static boolean isDimension(String d) {
    return d.equals("consumer") || d.equals("team") || d.equals("clientIp") || d.equals("model")
        || (d.startsWith("header:") && d.length() > "header:".length());
  }
}
