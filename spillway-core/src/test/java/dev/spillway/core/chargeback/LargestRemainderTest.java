package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LargestRemainderTest {
  @Test
  void theUnitsLeftOverGoToTheLargestRemainders() {
    // 10.00 by 1:1:1:3 (sum 6) = 1.6666.., 1.6666.., 1.6666.., 5 → floors 1.66 ×3 + 5.00 = 9.98; remainders of
    // the first three are equal (4/6 of a unit), so the 2 units left go to a and b, in order.
    Map<String, Long> w = new LinkedHashMap<>();
    w.put("a", 1L);
    w.put("b", 1L);
    w.put("c", 1L);
    w.put("d", 3L);
    assertThat(LargestRemainder.byWeight(new BigDecimal("10.00"), 2, w)).containsExactly(
        Map.entry("a", new BigDecimal("1.67")), Map.entry("b", new BigDecimal("1.67")),
        Map.entry("c", new BigDecimal("1.66")), Map.entry("d", new BigDecimal("5.00")));
  }

  @Test
  void theBiggestRemainderWinsOverOrder() {
    // 1.00 by 1:2 = 0.333.., 0.666.. → floors 0.33 + 0.66 = 0.99; y's remainder (2/3) beats x's (1/3).
    Map<String, Long> w = new LinkedHashMap<>();
    w.put("x", 1L);
    w.put("y", 2L);
    assertThat(LargestRemainder.byWeight(new BigDecimal("1.00"), 2, w))
        .containsExactly(Map.entry("x", new BigDecimal("0.33")), Map.entry("y", new BigDecimal("0.67")));
  }

  @Test
  void exactAmountsRoundToTheirSumRoundedOnce() {
    // 0.125 + 0.125 + 0.125 = 0.375 → 0.38 (half-even); each alone would round to 0.12 (half-even): 0.36.
    Map<String, BigDecimal> exact = new LinkedHashMap<>();
    exact.put("a", new BigDecimal("0.125"));
    exact.put("b", new BigDecimal("0.125"));
    exact.put("c", new BigDecimal("0.125"));
    Map<String, BigDecimal> parts = LargestRemainder.rounded(exact, 2);
    assertThat(parts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(new BigDecimal("0.38"));
    assertThat(parts).containsExactly(Map.entry("a", new BigDecimal("0.13")), Map.entry("b", new BigDecimal("0.13")),
        Map.entry("c", new BigDecimal("0.12")));
  }
}
