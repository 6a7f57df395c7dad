package dev.spillway.core.chargeback;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an amount into parts at a fixed scale that add up to it exactly (the largest-remainder, or Hamilton,
 * method): each part's exact share is floored to the scale, and the units left over go one each to the parts with
 * the largest remainders; ties go to the part that comes first in the map's order, so the result is deterministic.
 */
final class LargestRemainder {
  private LargestRemainder() {}

  /**
   * {@code total} shared in proportion to {@code weights}.
   *
   * @param total the amount, already at {@code scale}
   * @param weights non-negative, summing to more than zero
   * @return a part per key of {@code weights}, in its order, each at {@code scale}, summing to {@code total}
   */
  static <K> Map<K, BigDecimal> byWeight(BigDecimal total, int scale, Map<K, Long> weights) {
    BigInteger units = total.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
    BigInteger sum = weights.values().stream().map(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add);
    if (sum.signum() <= 0) {
      throw new IllegalArgumentException("the weights must add up to more than zero");
    }
    Map<K, BigInteger> numerators = new LinkedHashMap<>();
    weights.forEach((k, w) -> numerators.put(k, units.multiply(BigInteger.valueOf(w))));
    return split(units, numerators, sum, scale);
  }

  /**
   * Exact amounts rounded so that they add up to their exact sum rounded once (half-even) to {@code scale}.
   *
   * @param exact amounts of any scale, not negative
   * @return a part per key of {@code exact}, in its order, each at {@code scale}
   */
  static <K> Map<K, BigDecimal> rounded(Map<K, BigDecimal> exact, int scale) {
    int maxScale = exact.values().stream().mapToInt(BigDecimal::scale).max().orElse(scale);
    int fine = Math.max(scale, maxScale);
    BigInteger denominator = BigInteger.TEN.pow(fine - scale);
    Map<K, BigInteger> numerators = new LinkedHashMap<>();
    exact.forEach((k, v) -> numerators.put(k, v.setScale(fine, RoundingMode.UNNECESSARY).unscaledValue()));
    BigDecimal sum = exact.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    BigInteger units = sum.setScale(scale, RoundingMode.HALF_EVEN).unscaledValue();
    return split(units, numerators, denominator, scale);
  }

  /** Parts {@code numerator / denominator} (in units of {@code 10^-scale}) made to add up to {@code units}. */
  private static <K> Map<K, BigDecimal> split(
      BigInteger units, Map<K, BigInteger> numerators, BigInteger denominator, int scale) {
    record Share<K>(int order, K key, BigInteger floor, BigInteger remainder) {}
    List<Share<K>> shares = new ArrayList<>();
    BigInteger given = BigInteger.ZERO;
    for (Map.Entry<K, BigInteger> e : numerators.entrySet()) {
      BigInteger[] qr = e.getValue().divideAndRemainder(denominator);
      shares.add(new Share<>(shares.size(), e.getKey(), qr[0], qr[1]));
      given = given.add(qr[0]);
    }
    int left = units.subtract(given).intValueExact();
    if (left < 0 || left > shares.size()) {
      throw new IllegalStateException("cannot split " + units + " units: " + left + " left over");
    }
    List<Share<K>> byRemainder = new ArrayList<>(shares);
    byRemainder.sort(Comparator.comparing((Share<K> s) -> s.remainder()).reversed().thenComparingInt(Share::order));
    Map<K, BigInteger> result = new LinkedHashMap<>();
    shares.forEach(s -> result.put(s.key(), s.floor()));
    for (int i = 0; i < left; i++) {
      result.merge(byRemainder.get(i).key(), BigInteger.ONE, BigInteger::add);
    }
    Map<K, BigDecimal> parts = new LinkedHashMap<>();
    result.forEach((k, u) -> parts.put(k, new BigDecimal(u, scale)));
    return parts;
  }
}
