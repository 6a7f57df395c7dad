package dev.spillway.core.config;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The chargeback cost model.
 *
 * @param currency a label printed with every amount (no conversion is done)
 * @param ptuMonthly the monthly price of each PTU deployment, by backend id; amortized over a report's period and
 *     shared among its users by their share of that deployment's tokens
 * @param payg the per-1k-token prices of each logical model when a PAYG deployment answered
 * @param ptuUnitMonthly what one PTU costs a month, for capacity planning: the price of a deployment of any size and
 *     any model is this times its PTUs (Azure prices PTUs per deployment type and region, not per model)
 */
public record CostsConfig(
    String currency, Map<String, BigDecimal> ptuMonthly, Map<String, PaygPrice> payg, Optional<BigDecimal> ptuUnitMonthly) {
  public static final CostsConfig NONE = new CostsConfig("USD", Map.of(), Map.of(), Optional.empty());

  public CostsConfig {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(ptuUnitMonthly, "ptuUnitMonthly");
    ptuMonthly = Collections.unmodifiableMap(new LinkedHashMap<>(ptuMonthly));
    payg = Collections.unmodifiableMap(new LinkedHashMap<>(payg));
    ptuMonthly.values().forEach(p -> {
      if (p.signum() < 0) {
        throw new IllegalArgumentException("a PTU monthly price must not be negative");
      }
    });
    if (ptuUnitMonthly.map(BigDecimal::signum).orElse(0) < 0) {
      throw new IllegalArgumentException("the monthly price of a PTU must not be negative");
    }
  }

  public Optional<BigDecimal> ptuMonthlyPrice(String backendId) {
    return Optional.ofNullable(ptuMonthly.get(backendId));
  }

  public Optional<PaygPrice> paygPrice(String model) {
    return Optional.ofNullable(payg.get(model));
  }
}
