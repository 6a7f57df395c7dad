package dev.spillway.core.limits;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One rule applied to one counter: "at most 10 000 tokens per minute for {@code
 * consumer=search-app|model=gpt-4o}". The caller builds the counter key, usually with {@link
 * CounterKeys#compose}; two checks with the same key and kind share one counter.
 */
public record LimitCheck(String counterKey, LimitRule rule) {

  public LimitCheck {
    Objects.requireNonNull(counterKey, "counterKey");
    Objects.requireNonNull(rule, "rule");
    if (counterKey.isEmpty()) {
      throw new IllegalArgumentException("counterKey must not be empty");
    }
  }

  public LimitKind kind() {
    return rule.kind();
  }

  public long limit() {
    return rule.limit();
  }

  /**
   * Validates the arguments every {@link LimitStore} call shares: {@code checks} must not name the
   * same (counter key, kind) twice, since one reservation would then be counted twice against one
   * counter while each check saw only its own share.
   */
  public static List<LimitCheck> requireDistinct(List<LimitCheck> checks) {
    Objects.requireNonNull(checks, "checks");
    int n = checks.size();
    if (n > 16) {
      Set<String> seen = new HashSet<>();
      for (LimitCheck check : checks) {
        Objects.requireNonNull(check, "checks contains null");
        if (!seen.add(check.kind().id() + ' ' + check.counterKey())) {
          throw shared(check);
        }
      }
      return checks;
    }
    // A request has a handful of checks: compared pairwise, nothing is built for a check made on every request.
    for (int i = 0; i < n; i++) {
      LimitCheck check = Objects.requireNonNull(checks.get(i), "checks contains null");
      for (int j = 0; j < i; j++) {
        LimitCheck earlier = checks.get(j);
        if (earlier.kind() == check.kind() && earlier.counterKey().equals(check.counterKey())) {
          throw shared(check);
        }
      }
    }
    return checks;
  }

  private static IllegalArgumentException shared(LimitCheck check) {
    return new IllegalArgumentException(
        "two checks share counter " + check.counterKey() + " and kind " + check.kind() + "; merge them into one rule");
  }
}
