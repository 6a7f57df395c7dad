package dev.spillway.core.plan;

import java.time.Duration;
import java.util.Locale;

/** How a plan writes durations and shares, the same in the table and the JSON. */
final class PlanText {
  private PlanText() {}

  /** {@code 0ms}, {@code 850ms}, {@code 2s}, {@code 2.35s}: milliseconds below a second, else seconds. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    String seconds = String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    seconds = seconds.replaceAll("0+$", "").replaceAll("\\.$", "");
    return seconds + "s";
  }

  /** A share 0..1 as a percentage with one decimal: {@code 3.1%}. */
  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
