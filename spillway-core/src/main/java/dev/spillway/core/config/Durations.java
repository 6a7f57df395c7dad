package dev.spillway.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations as people write them in config and on the command line: {@code 250ms}, {@code 10s},
 * {@code 2m}, {@code 1h}, {@code 1m30s}, {@code 1.5s}, {@code 1d}.
 *
 * <p>A bare number is rejected on purpose: {@code 10} could mean milliseconds or seconds, and
 * guessing wrong is a thousandfold error. Pure and thread-safe.
 */
public final class Durations {
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * Parses one or more {@code <number><unit>} segments (units {@code ms}, {@code s}, {@code m},
   * {@code h}, {@code d}; decimals allowed; surrounding blanks ignored). Zero is accepted; callers
   * that need a positive duration check it.
   *
   * @throws IllegalArgumentException when the text is not such a duration; the message does not
   *     repeat the text, so callers may decide whether it is safe to show
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must be a duration like 250ms, 10s, 2m, 1h or 1m30s");
    }
    String s = text.strip();
    int i = 0;
    BigInteger totalNanos = BigInteger.ZERO;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      String number = s.substring(numberStart, unitStart);
      String unit = s.substring(unitStart, i);
      if (number.isEmpty() || !isDecimal(number) || (unitStart == i && i < s.length())) {
        throw new IllegalArgumentException("must be a duration like 250ms, 10s, 2m, 1h or 1m30s");
      }
      if (unit.isEmpty()) {
        throw new IllegalArgumentException(
            "needs a unit (ms, s, m, h or d), for example 250ms or 10s; a bare number is ambiguous");
      }
      long unitNanos =
          switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default ->
                throw new IllegalArgumentException(
                    "has an unknown unit (use ms, s, m, h or d)");
          };
      BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos));
      totalNanos = totalNanos.add(nanos.setScale(0, java.math.RoundingMode.CEILING).toBigInteger());
      if (totalNanos.compareTo(MAX_NANOS) > 0) {
        throw new IllegalArgumentException("is too long a duration");
      }
    }
    return Duration.ofNanos(totalNanos.longValueExact());
  }

  /** The shortest text {@link #parse} reads back to the same value, for messages: {@code 1m30s}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    StringBuilder text = new StringBuilder();
    long days = duration.toDays();
    if (days > 0) {
      text.append(days).append('d');
    }
    if (duration.toHoursPart() > 0) {
      text.append(duration.toHoursPart()).append('h');
    }
    if (duration.toMinutesPart() > 0) {
      text.append(duration.toMinutesPart()).append('m');
    }
    int seconds = duration.toSecondsPart();
    int nanos = duration.toNanosPart();
    if (nanos % 1_000_000 == 0) {
      if (seconds > 0) {
        text.append(seconds).append('s');
      }
      if (nanos > 0) {
        text.append(nanos / 1_000_000).append("ms");
      }
    } else {
      BigDecimal exact = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
      text.append(exact.stripTrailingZeros().toPlainString()).append('s');
    }
    return text.toString();
  }

  private static boolean isDecimal(String number) {
    int dot = number.indexOf('.');
    if (dot != number.lastIndexOf('.')) {
      return false;
    }
    return number.length() > (dot >= 0 ? 1 : 0);
  }
}
