package dev.spillway.gateway;

import dev.spillway.gateway.events.RequestOutcome;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code RequestOutcome.interruptedBy()} — who broke a stream after its head went out: {@code backend}, {@code
 * client} or {@code shutdown} — by reflection, so that the fault tests compile (and their other assertions run) on a
 * tree where that accessor has not landed yet; there it reads as absent, and the assertions that expect it fail.
 */
final class Interruptions {
  private Interruptions() {}

  /** True when {@code RequestOutcome} has the accessor. */
  static boolean known() {
    return accessor() != null;
  }

  static Optional<String> interruptedBy(RequestOutcome outcome) {
    Method m = accessor();
    if (m == null) {
      return Optional.empty();
    }
    try {
      Object value = m.invoke(outcome);
      if (value instanceof Optional<?> optional) {
        value = optional.orElse(null);
      }
      return Optional.ofNullable(value).map(v -> v.toString().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty() && !s.equals("none"));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("RequestOutcome.interruptedBy() failed", e);
    }
  }

  private static Method accessor() {
    try {
      return RequestOutcome.class.getMethod("interruptedBy");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
