package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterParserTest {
  private static final long NOW = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();

  /** A case-insensitive header lookup, as the gateway provides. */
  private static Function<String, String> headers(String... nameValuePairs) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      map.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return map::get;
  }

  private static OptionalLong delay(String... nameValuePairs) {
    return RetryAfterParser.delayMillis(headers(nameValuePairs), NOW);
  }

  // ---- precedence ----

  @Test
  void retryAfterMsWinsOverEveryOtherHeader() {
    assertThat(delay("retry-after-ms", "1500", "Retry-After", "10", "x-ratelimit-reset-requests", "1m")).hasValue(1500);
  }

  @Test
  void retryAfterWinsOverTheResetHeaders() {
    assertThat(delay("Retry-After", "10", "x-ratelimit-reset-tokens", "1m")).hasValue(10_000);
  }

  @Test
  void largerOfTheTwoResetHeadersIsUsed() {
    assertThat(delay("x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "6m0s")).hasValue(360_000);
    assertThat(delay("x-ratelimit-reset-requests", "2m", "x-ratelimit-reset-tokens", "250ms")).hasValue(120_000);
    assertThat(delay("x-ratelimit-reset-tokens", "250ms")).hasValue(250);
    assertThat(delay("x-ratelimit-reset-requests", "20ms")).hasValue(20);
  }

  @Test
  void noUsableHeaderGivesEmpty() {
    assertThat(delay()).isEmpty();
    assertThat(delay("content-type", "application/json")).isEmpty();
    assertThat(delay("retry-after-ms", "soon", "retry-after", "later", "x-ratelimit-reset-requests", "whenever")).isEmpty();
  }

  @Test
  void headerNamesAreLookedUpWhateverTheirCase() {
    assertThat(delay("Retry-After-Ms", "42")).hasValue(42);
    assertThat(delay("RETRY-AFTER", "3")).hasValue(3000);
    assertThat(delay("X-RateLimit-Reset-Tokens", "5s")).hasValue(5000);
  }

  // ---- garbage falls through ----

  @Test
  void garbageOrNegativeInOneHeaderFallsThroughToTheNext() {
    assertThat(delay("retry-after-ms", "soon", "retry-after", "7")).hasValue(7000);
    assertThat(delay("retry-after-ms", "-5", "retry-after", "7")).hasValue(7000);
    assertThat(delay("retry-after-ms", "", "retry-after", "7")).hasValue(7000);
    assertThat(delay("retry-after", "-1", "x-ratelimit-reset-tokens", "2s")).hasValue(2000);
    assertThat(delay("retry-after", "Funday, 99 Nov 1994", "x-ratelimit-reset-tokens", "2s")).hasValue(2000);
    assertThat(delay("x-ratelimit-reset-requests", "garbage", "x-ratelimit-reset-tokens", "2s")).hasValue(2000);
    assertThat(delay("x-ratelimit-reset-requests", "-3s", "x-ratelimit-reset-tokens", "2s")).hasValue(2000);
  }

  // ---- retry-after-ms ----

  @ParameterizedTest
  @CsvSource({"0, 0", "250, 250", "12.3, 13", "0.001, 1", "1500.0, 1500", "' 42 ', 42", ".5, 1", "7., 7"})
  void retryAfterMsIsMillisecondsRoundedUp(String value, long expected) {
    assertThat(delay("retry-after-ms", value)).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1e3", "0x10", "ten", "1,5", "1.2.3", ".", "+5", "NaN", "Infinity", "5 ms"})
  void retryAfterMsGarbageIsIgnored(String value) {
    assertThat(delay("retry-after-ms", value)).isEmpty();
  }

  // ---- retry-after seconds ----

  @ParameterizedTest
  @CsvSource({"0, 0", "1, 1000", "10, 10000", "1.5, 1500", "0.0001, 1", "86400, 86400000"})
  void retryAfterSecondsMayBeFractional(String value, long expected) {
    assertThat(delay("retry-after", value)).hasValue(expected);
  }

  @Test
  void hugeValuesSaturate() {
    assertThat(delay("retry-after", "99999999999999999999999")).hasValue(Long.MAX_VALUE);
    assertThat(delay("retry-after-ms", "99999999999999999999999")).hasValue(Long.MAX_VALUE);
  }

  // ---- retry-after HTTP-date ----

  @Test
  void retryAfterImfFixdateIsADelayFromNow() {
    assertThat(delay("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")).hasValue(10_000);
    assertThat(delay("retry-after", "Sun, 06 Nov 1994 09:49:37 GMT")).hasValue(3_600_000);
    assertThat(delay("retry-after", "sun, 06 nov 1994 08:49:38 gmt")).as("case-insensitive").hasValue(1_000);
  }

  @Test
  void retryAfterRfc850DateIsADelayFromNow() {
    assertThat(delay("retry-after", "Sunday, 06-Nov-94 08:49:47 GMT")).hasValue(10_000);
  }

  @Test
  void retryAfterAsctimeDateIsADelayFromNow() {
    assertThat(delay("retry-after", "Sun Nov  6 08:49:47 1994")).hasValue(10_000);
    assertThat(delay("retry-after", "Sun Nov 16 08:49:37 1994")).hasValue(10L * 24 * 3_600_000);
  }

  @Test
  void dateInThePastMeansNoWait() {
    assertThat(delay("retry-after", "Sat, 05 Nov 1994 08:49:37 GMT")).hasValue(0);
    assertThat(delay("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT")).hasValue(0);
  }

  @Test
  void rfc850TwoDigitYearMoreThanFiftyYearsAheadIsInThePast() {
    long now2025 = Instant.parse("2025-06-01T00:00:00Z").toEpochMilli();
    assertThat(RetryAfterParser.delayMillis(headers("retry-after", "Tuesday, 01-Jun-99 00:00:00 GMT"), now2025))
        .as("1999, not 2099")
        .hasValue(0);
    assertThat(RetryAfterParser.delayMillis(headers("retry-after", "Monday, 01-Jun-26 00:00:00 GMT"), now2025))
        .as("2026")
        .hasValue(365L * 24 * 3_600_000);
  }

  @Test
  void leapSecondIsOneSecondAfterFiftyNine() {
    assertThat(delay("retry-after", "Sun, 06 Nov 1994 08:49:60 GMT")).hasValue(23_000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sun, 31 Feb 1994 08:49:37 GMT", // no such day
        "Sun, 06 Nov 1994 25:49:37 GMT", // no such hour
        "Sun, 06 Nov 1994 08:49:37 PST", // not GMT
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov  6 08:49:37",
        "1994-11-06T08:49:47Z",
        "tomorrow"
      })
  void malformedDatesAreIgnored(String value) {
    assertThat(delay("retry-after", value)).isEmpty();
  }

  // ---- Go durations ----

  @ParameterizedTest
  @CsvSource({
    "1s, 1000",
    "6m0s, 360000",
    "250ms, 250",
    "1m30.5s, 90500",
    "1h2m3s, 3723000",
    "500us, 1",
    "1500us, 2",
    "500\u00b5s, 1",
    "500\u03bcs, 1",
    "2ns, 1",
    "0, 0",
    "0s, 0",
    "-0s, 0",
    "+2s, 2000",
    "1.5ms, 2",
    ".5s, 500",
    "3.s, 3000",
    "2h45m, 9900000",
    "' 1s ', 1000"
  })
  void parsesGoDurationsRoundingUpToWholeMillis(String text, long expectedMillis) {
    assertThat(RetryAfterParser.parseGoDurationMillis(text)).hasValue(expectedMillis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "1", "10", "-1s", "s", ".s", "1..5s", "1x", "1sec", "1S", "1d", "1 s", "ms", "one second", "1e3s", "--1s"})
  void rejectsGoDurationGarbageAndNegatives(String text) {
    assertThat(RetryAfterParser.parseGoDurationMillis(text)).isEmpty();
  }

  @Test
  void nullGoDurationIsEmpty() {
    assertThat(RetryAfterParser.parseGoDurationMillis(null)).isEmpty();
  }
}
