package dev.spillway.core.spend;

import dev.spillway.core.chargeback.ChargebackCalculator;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts of money as whole millionths of the currency, the precision of a chargeback report ({@link
 * ChargebackCalculator#COST_SCALE} decimals). Spend counters hold longs so that every store adds them exactly and
 * atomically (Redis {@code INCRBY}); a long holds nine trillion currency units, far beyond any budget.
 */
public final class Micros {
  private Micros() {}

  /**
   * {@code amount} rounded half-even to a millionth.
   *
   * @throws ArithmeticException when it does not fit a long
   */
  public static long of(BigDecimal amount) {
    return amount.setScale(ChargebackCalculator.COST_SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
  }

  /** The amount {@code micros} stands for, with {@link ChargebackCalculator#COST_SCALE} decimals. */
  public static BigDecimal toAmount(long micros) {
    return BigDecimal.valueOf(micros, ChargebackCalculator.COST_SCALE);
  }
}
