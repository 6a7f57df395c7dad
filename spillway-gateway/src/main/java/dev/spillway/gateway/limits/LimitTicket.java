package dev.spillway.gateway.limits;

import dev.spillway.core.limits.Admission;
import dev.spillway.core.limits.LimitCheck;
import java.util.List;

/**
 * A request's admission by its limits: what was checked, how many tokens were reserved, and the
 * remaining headroom to report. {@link #NONE} for requests without limits.
 */
public record LimitTicket(List<LimitCheck> checks, long reservedTokens, Admission.Allowed allowed) {
  public static final LimitTicket NONE = new LimitTicket(List.of(), 0, new Admission.Allowed(List.of()));

  public boolean limited() {
    return !checks.isEmpty();
  }
}
