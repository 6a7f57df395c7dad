package dev.spillway.simulator;

/**
 * Formats durations the way Go's {@code time.Duration.String()} does ({@code 250ms}, {@code 1s},
 * {@code 6m0s}): the form of OpenAI's {@code x-ratelimit-reset-*} headers. Stateless.
 */
final class DurationText {
  private DurationText() {}

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
