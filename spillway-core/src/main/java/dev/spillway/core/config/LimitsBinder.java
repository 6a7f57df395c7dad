package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import dev.spillway.core.limits.LimitKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the top-level {@code limits:} section (where counters live) and a consumer's {@code
 * limits:} (its rates, quotas and counter-key dimensions).
 */
final class LimitsBinder {
  static final List<String> LIMITS_KEYS = List.of("store", "redisUrl", "onRedisFailure", "defaultMaxTokens");
  static final List<String> CONSUMER_LIMIT_KEYS = List.of("tokensPerMinute", "requestsPerMinute", "tokenQuota", "per");
  static final List<String> QUOTA_KEYS = List.of("hour", "day", "week", "month", "year");
  private static final String[] STORES = {"memory", "redis"};
  private static final String[] FAILURE_MODES = {"failOpen", "failClosed"};

  private final ScalarReader read;

  LimitsBinder(ScalarReader read) {
    this.read = read;
  }

  LimitsConfig bindStore(YamlNode.Mapping m) {
    String path = "limits";
    read.checkKeys(m, path, LIMITS_KEYS);
    LimitsConfig d = LimitsConfig.DEFAULTS;
    LimitsConfig.Store store =
        read.scalar(m, "store", path)
            .flatMap(v -> read.choice(v, LimitsConfig.Store.values(), s -> s.name().toLowerCase(Locale.ROOT)))
            .orElse(d.store());
    String url =
        read.scalar(m, "redisUrl", path)
            .flatMap(read::redisUrl)
            .orElse(d.redisUrl());
    boolean failOpen =
        read.scalar(m, "onRedisFailure", path)
            .flatMap(v -> read.choice(v, FAILURE_MODES, s -> s))
            .map(mode -> mode.equals("failOpen"))
            .orElse(d.failOpen());
    long defaultMaxTokens =
        read.scalar(m, "defaultMaxTokens", path).flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE)).map(Integer::longValue)
            .orElse(d.defaultMaxTokens());
    return new LimitsConfig(store, url, failOpen, defaultMaxTokens);
  }

  LimitSettings bindConsumer(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, CONSUMER_LIMIT_KEYS);
    Map<LimitKind, Long> limits = new EnumMap<>(LimitKind.class);
    read.scalar(m, "tokensPerMinute", path).flatMap(this::positive).ifPresent(n -> limits.put(LimitKind.TOKENS_PER_MINUTE, n));
    read.scalar(m, "requestsPerMinute", path).flatMap(this::positive).ifPresent(n -> limits.put(LimitKind.REQUESTS_PER_MINUTE, n));
    read.section(m, "tokenQuota", path)
        .ifPresent(
            q -> {
              String qPath = ConfigBinder.child(path, "tokenQuota");
              read.checkKeys(q, qPath, QUOTA_KEYS);
              quota(q, qPath, "hour", LimitKind.TOKENS_PER_HOUR, limits);
              quota(q, qPath, "day", LimitKind.TOKENS_PER_DAY, limits);
              quota(q, qPath, "week", LimitKind.TOKENS_PER_WEEK, limits);
              quota(q, qPath, "month", LimitKind.TOKENS_PER_MONTH, limits);
              quota(q, qPath, "year", LimitKind.TOKENS_PER_YEAR, limits);
            });
    List<String> per = new ArrayList<>();
    for (Value v : read.list(m, "per", path, "dimensions").orElse(List.of())) {
      String d = v.text().strip();
      if (LimitSettings.isDimension(d)) {
        per.add(d);
      } else {
        read.problem(v.line(), v.path(), "must be one of consumer, team, clientIp, model, header:<name>, got " + v.shown());
      }
    }
    return new LimitSettings(limits, per);
  }

  private void quota(YamlNode.Mapping q, String path, String key, LimitKind kind, Map<LimitKind, Long> limits) {
    read.scalar(q, key, path).flatMap(this::positive).ifPresent(n -> limits.put(kind, n));
  }

  private Optional<Long> positive(Value v) {
    Optional<Long> n = read.wholeNumber(v, "a whole number >= 1");
    if (n.isPresent() && n.get() < 1) {
      read.problem(v.line(), v.path(), "must be a whole number >= 1, got " + v.shown());
      return Optional.empty();
    }
    return n;
  }
}
