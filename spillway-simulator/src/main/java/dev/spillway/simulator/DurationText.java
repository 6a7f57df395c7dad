package dev.spillway.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as text: parses config values such as {@code 150ms}, {@code 0.2ms}, {@code 10s},
 * {@code 1m30s} or ISO-8601 {@code PT0.15S}, and formats durations the way Go's
 * {@code time.Duration.String()} does ({@code 250ms}, {@code 1s}, {@code 6m0s}), which is the form
 * of OpenAI's {@code x-ratelimit-reset-*} headers. Stateless and thread-safe.
 */
final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private DurationText() {}

  /** Parses {@code text}, or empty when it is not a duration. Negative durations are not accepted. */
  static Optional<Duration> parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        Duration d = Duration.parse(s);
        return d.isNegative() ? Optional.empty() : Optional.of(d);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        return Optional.empty();
      }
      BigDecimal amount = new BigDecimal(m.group(1));
      long unitNanos = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unitNanos)));
      at = m.end();
    }
    return Optional.of(Duration.ofNanos(nanos.longValue()));
  }

  /**
   * Formats {@code nanos}, rounded up to whole milliseconds, like Go's {@code Duration.String()}:
   * {@code 0s}, {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}.
   */
  static String formatGo(long nanos) {
    long millis = nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    if (millis == 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = (millis / 60_000) % 60;
    long seconds = (millis / 1000) % 60;
    long fraction = millis % 1000;
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(seconds);
    if (fraction > 0) {
      String digits = String.format("%03d", fraction);
      out.append('.').append(digits.replaceFirst("0+$", ""));
    }
    return out.append('s').toString();
  }
}
