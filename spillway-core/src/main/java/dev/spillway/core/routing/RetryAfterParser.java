package dev.spillway.core.routing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a backend that answered 429 or 503 asks us to wait.
 *
 * <p>Backends say it in several ways, in this order of precision: Azure's {@code retry-after-ms},
 * the standard {@code Retry-After} (seconds or an HTTP-date), and OpenAI-style {@code
 * x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens} (Go durations such as {@code
 * 6m0s}). A header that is absent, garbled or negative is skipped and the next one is tried, so one
 * odd header never discards a good one. Capping the delay and choosing a default when nothing
 * usable is found are the caller's decisions, not this class's.
 *
 * <p>Pure and thread-safe; wall time is passed in (only HTTP-dates need it).
 */
public final class RetryAfterParser {
  private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final Pattern DECIMAL = Pattern.compile("\\d+(?:\\.\\d*)?|\\.\\d+");

  private static final String MONTHS = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
  private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
  /** {@code Sun, 06 Nov 1994 08:49:37 GMT} (RFC 9110 IMF-fixdate, the preferred form). */
  private static final Pattern IMF_FIXDATE =
      Pattern.compile(
          "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s*(\\d{1,2})\\s+" + MONTHS + "\\s+(\\d{4})\\s+" + TIME + "\\s+GMT",
          Pattern.CASE_INSENSITIVE);
  /** {@code Sunday, 06-Nov-94 08:49:37 GMT} (obsolete RFC 850 form). */
  private static final Pattern RFC_850 =
      Pattern.compile(
          "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\\s*(\\d{1,2})-"
              + MONTHS
              + "-(\\d{2})\\s+"
              + TIME
              + "\\s+GMT",
          Pattern.CASE_INSENSITIVE);
  /** {@code Sun Nov  6 08:49:37 1994} (obsolete ANSI C asctime form). */
  private static final Pattern ASCTIME =
      Pattern.compile(
          "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+" + MONTHS + "\\s+(\\d{1,2})\\s+" + TIME + "\\s+(\\d{4})",
          Pattern.CASE_INSENSITIVE);

  private static final Map<String, Long> GO_UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign
          "\u03bcs", 1_000L, // Greek mu
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private RetryAfterParser() {}

  /**
   * The delay the response asks for, from the first usable header: {@code retry-after-ms}
   * (milliseconds, fractions rounded up), {@code retry-after} (seconds, fractions allowed, or an
   * HTTP-date; a past date gives 0), then the larger of {@code x-ratelimit-reset-requests} and
   * {@code x-ratelimit-reset-tokens} (Go durations).
   *
   * @param header case-insensitive header lookup, returning null when a header is absent
   * @param nowEpochMillis wall-clock now, used only to turn an HTTP-date into a delay
   * @return milliseconds to wait (saturating at {@link Long#MAX_VALUE}), or empty when no header
   *     says anything usable
   */
  public static OptionalLong delayMillis(Function<String, String> header, long nowEpochMillis) {
    OptionalLong millis = parseDecimal(header.apply("retry-after-ms"), BigDecimal.ONE);
    if (millis.isPresent()) {
      return millis;
    }
    OptionalLong retryAfter = parseRetryAfter(header.apply("retry-after"), nowEpochMillis);
    if (retryAfter.isPresent()) {
      return retryAfter;
    }
    OptionalLong requests = parseGoDurationMillis(header.apply("x-ratelimit-reset-requests"));
    OptionalLong tokens = parseGoDurationMillis(header.apply("x-ratelimit-reset-tokens"));
    if (requests.isPresent() && tokens.isPresent()) {
      return OptionalLong.of(Math.max(requests.getAsLong(), tokens.getAsLong()));
    }
    return requests.isPresent() ? requests : tokens;
  }

  /**
   * A Go {@code time.Duration} string ({@code 1s}, {@code 6m0s}, {@code 250ms}, {@code 1m30.5s},
   * {@code 1h2m3s}, {@code 500us}, {@code 2ns}, {@code 0}) in milliseconds, rounded up to a whole
   * millisecond and saturating at {@link Long#MAX_VALUE}. Empty for null, garbage or a negative
   * duration (a delay cannot be negative).
   */
  public static OptionalLong parseGoDurationMillis(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    String s = text.strip();
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return OptionalLong.of(0);
    }
    if (s.isEmpty()) {
      return OptionalLong.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(numberStart, i);
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unitNanos = GO_UNIT_NANOS.get(s.substring(unitStart, i));
      if (unitNanos == null || !DECIMAL.matcher(number).matches()) {
        return OptionalLong.empty();
      }
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
    }
    if (negative && nanos.signum() > 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(toMillis(nanos.divide(NANOS_PER_MILLI)));
  }

  /** Seconds (fractions allowed) or an HTTP-date. */
  private static OptionalLong parseRetryAfter(String text, long nowEpochMillis) {
    OptionalLong seconds = parseDecimal(text, BigDecimal.valueOf(1000));
    if (seconds.isPresent() || text == null) {
      return seconds;
    }
    OptionalLong dateMillis = parseHttpDateEpochMillis(text.strip(), nowEpochMillis);
    if (dateMillis.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(0, dateMillis.getAsLong() - nowEpochMillis));
  }

  /** A non-negative decimal number times {@code millisPerUnit}, rounded up; empty for anything else. */
  private static OptionalLong parseDecimal(String text, BigDecimal millisPerUnit) {
    if (text == null) {
      return OptionalLong.empty();
    }
    String s = text.strip();
    if (!DECIMAL.matcher(s).matches()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(toMillis(new BigDecimal(s).multiply(millisPerUnit)));
  }

  private static long toMillis(BigDecimal millis) {
    BigDecimal whole = millis.setScale(0, RoundingMode.CEILING);
    return whole.compareTo(MAX_MILLIS) > 0 ? Long.MAX_VALUE : whole.longValueExact();
  }

  /**
   * The three HTTP-date forms of RFC 9110 section 5.6.7. The weekday name is checked for form but
   * not against the date: servers get it wrong, and the date is what counts.
   */
  static OptionalLong parseHttpDateEpochMillis(String text, long nowEpochMillis) {
    Matcher m = IMF_FIXDATE.matcher(text);
    if (m.matches()) {
      return epochMillis(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m, 4);
    }
    m = RFC_850.matcher(text);
    if (m.matches()) {
      int nowYear = LocalDateTime.ofEpochSecond(Math.floorDiv(nowEpochMillis, 1000), 0, ZoneOffset.UTC).getYear();
      int year = nowYear - Math.floorMod(nowYear, 100) + Integer.parseInt(m.group(3));
      if (year > nowYear + 50) {
        year -= 100; // RFC 9110: more than 50 years ahead means the most recent such past year
      }
      return epochMillis(year, m.group(2), m.group(1), m, 4);
    }
    m = ASCTIME.matcher(text);
    if (m.matches()) {
      return epochMillis(Integer.parseInt(m.group(6)), m.group(1), m.group(2), m, 3);
    }
    return OptionalLong.empty();
  }

  private static OptionalLong epochMillis(int year, String month, String day, Matcher m, int timeGroup) {
    int hour = Integer.parseInt(m.group(timeGroup));
    int minute = Integer.parseInt(m.group(timeGroup + 1));
    int second = Integer.parseInt(m.group(timeGroup + 2));
    int leap = second == 60 ? 1 : 0; // a leap second: one second after :59
    try {
      LocalDateTime time =
          LocalDateTime.of(year, monthNumber(month), Integer.parseInt(day), hour, minute, second - leap);
      return OptionalLong.of((time.toEpochSecond(ZoneOffset.UTC) + leap) * 1000);
    } catch (DateTimeException e) {
      return OptionalLong.empty(); // 31 Feb, 25:00 and friends
    }
  }

  private static int monthNumber(String month) {
    return switch (month.toLowerCase(Locale.ROOT)) {
      case "jan" -> 1;
      case "feb" -> 2;
      case "mar" -> 3;
      case "apr" -> 4;
      case "may" -> 5;
      case "jun" -> 6;
      case "jul" -> 7;
      case "aug" -> 8;
      case "sep" -> 9;
      case "oct" -> 10;
      case "nov" -> 11;
      default -> 12;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
