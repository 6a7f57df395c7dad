package dev.spillway.core.chargeback;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The half-open period {@code [from, to)} a report covers.
 *
 * @param from first instant included
 * @param to first instant not included; after {@code from}
 */
public record ReportPeriod(Instant from, Instant to) {
  public ReportPeriod {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new ReportParameterException("to", "the period is empty: from " + from + " must be before to " + to);
    }
  }

  /**
   * The period asked for on a command line or in a query string. A bound is an ISO date (UTC midnight, so {@code
   * --from 2026-11-01 --to 2026-12-01} is November) or an ISO instant ({@code 2026-11-01T12:00:00Z}, an offset is
   * allowed). {@code to} defaults to {@code now}; {@code from} to the start of the UTC month {@code to} falls in
   * (the current month when neither is given).
   *
   * @throws ReportParameterException naming the bound that cannot be read, or when {@code from} is not before
   *     {@code to}
   */
  public static ReportPeriod parse(Optional<String> from, Optional<String> to, Instant now) {
    Instant end = to.filter(s -> !s.isBlank()).map(s -> bound("to", s)).orElse(now);
    Instant start =
        from.filter(s -> !s.isBlank()).map(s -> bound("from", s)).orElseGet(() -> monthStart(end.minusNanos(1)));
    if (!start.isBefore(end)) {
      throw new ReportParameterException("from", "from (" + start + ") must be before to (" + end + ")");
    }
    return new ReportPeriod(start, end);
  }

  /**
   * One bound as written: an ISO date (UTC midnight) or an ISO instant.
   *
   * @param name the parameter, for the message
   * @throws ReportParameterException naming {@code name} when {@code text} is neither
   */
  public static Instant bound(String name, String text) {
    String t = text.strip();
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException notAnInstant) {
        throw new ReportParameterException(
            name, name + " must be an ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z), got \"" + t + "\"");
      }
    }
  }

  private static Instant monthStart(Instant t) {
    return YearMonth.from(t.atOffset(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * What a monthly price comes to over this period: {@code monthlyPrice} × Σ over the UTC calendar months the
   * period overlaps of (overlap ÷ that month's length), computed as an exact fraction and rounded once, half-even,
   * to {@code scale} decimals. A whole February and a whole March are each exactly one month.
   */
  public BigDecimal amortize(BigDecimal monthlyPrice, int scale) {
    BigInteger num = BigInteger.ZERO;
    BigInteger den = BigInteger.ONE;
    for (YearMonth m = YearMonth.from(from.atOffset(ZoneOffset.UTC)); ; m = m.plusMonths(1)) {
      Instant start = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      if (!start.isBefore(to)) {
        break;
      }
      Instant end = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant a = start.isAfter(from) ? start : from;
      Instant b = end.isBefore(to) ? end : to;
      BigInteger overlap = BigInteger.valueOf(Duration.between(a, b).toNanos());
      BigInteger length = BigInteger.valueOf(Duration.between(start, end).toNanos());
      num = num.multiply(length).add(overlap.multiply(den));
      den = den.multiply(length);
      BigInteger gcd = num.gcd(den);
      if (gcd.signum() > 0) {
        num = num.divide(gcd);
        den = den.divide(gcd);
      }
    }
    BigDecimal numerator = new BigDecimal(monthlyPrice.unscaledValue().multiply(num), monthlyPrice.scale());
    return numerator.divide(new BigDecimal(den), scale, RoundingMode.HALF_EVEN);
  }
}
