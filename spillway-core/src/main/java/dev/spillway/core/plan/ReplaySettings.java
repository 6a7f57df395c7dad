package dev.spillway.core.plan;

import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.PlanConfig;
import dev.spillway.core.config.RoutingConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link CapacityReplay} of one model needs besides the traffic and the PTU count: its routing (the
 * gateway's routing settings and the model's own wait budget, waiter cap and predictive spill), its PTU figures, the
 * PTU bucket's burst, the prices, and the PAYG quota if one is declared. Immutable; made with {@link #builder()}.
 *
 * @param model the model as configured; its backends are replaced by the replay's two, the rest is kept. Without one
 *     the model routes by priority and spills at once (no PTU wait).
 * @param routing the gateway's routing settings (retry-after default and cap, attempts, deadline, breaker)
 * @param throughput the model's PTU figures
 * @param burst how much of its capacity a PTU deployment takes at once
 * @param paygPrice the model's PAYG prices per 1k tokens
 * @param ptuUnitMonthly what one PTU costs a month
 * @param paygTokensPerMinute the PAYG deployment's token quota a minute; 0 for ample quota
 * @param seed the router's random source (it only matters to strategies that pick at random within a group)
 */
public record ReplaySettings(
    Optional<ModelConfig> model,
    RoutingConfig routing,
    PtuThroughput throughput,
    Duration burst,
    PaygPrice paygPrice,
    BigDecimal ptuUnitMonthly,
    long paygTokensPerMinute,
    long seed) {
  public ReplaySettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(throughput, "throughput");
    Objects.requireNonNull(burst, "burst");
    Objects.requireNonNull(paygPrice, "paygPrice");
    Objects.requireNonNull(ptuUnitMonthly, "ptuUnitMonthly");
    if (burst.isNegative() || burst.isZero()) {
      throw new IllegalArgumentException("burst must be positive");
    }
    if (ptuUnitMonthly.signum() < 0 || paygTokensPerMinute < 0) {
      throw new IllegalArgumentException("the PTU price and the PAYG quota must not be negative");
    }
  }

  /**
   * A builder; {@code throughput}, {@code paygPrice} and {@code ptuUnitMonthly} must be set. The rest start at: no
   * model (priority, no wait), {@link RoutingConfig#DEFAULTS}, {@link PlanConfig#DEFAULT_BURST}, ample PAYG quota and a
   * fixed seed.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the parts of {@link ReplaySettings}; each setter rejects null. Not thread-safe; use it once. */
  public static final class Builder {
    private ModelConfig model;
    private RoutingConfig routing = RoutingConfig.DEFAULTS;
    private PtuThroughput throughput;
    private Duration burst = PlanConfig.DEFAULT_BURST;
    private PaygPrice paygPrice;
    private BigDecimal ptuUnitMonthly;
    private long paygTokensPerMinute;
    private long seed = 13;

    private Builder() {}

    public Builder model(ModelConfig model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    public Builder routing(RoutingConfig routing) {
      this.routing = Objects.requireNonNull(routing, "routing");
      return this;
    }

    public Builder throughput(PtuThroughput throughput) {
      this.throughput = Objects.requireNonNull(throughput, "throughput");
      return this;
    }

    public Builder burst(Duration burst) {
      this.burst = Objects.requireNonNull(burst, "burst");
      return this;
    }

    public Builder paygPrice(PaygPrice paygPrice) {
      this.paygPrice = Objects.requireNonNull(paygPrice, "paygPrice");
      return this;
    }

    public Builder ptuUnitMonthly(BigDecimal ptuUnitMonthly) {
      this.ptuUnitMonthly = Objects.requireNonNull(ptuUnitMonthly, "ptuUnitMonthly");
      return this;
    }

    /** 0 (the default) for ample quota. */
    public Builder paygTokensPerMinute(long paygTokensPerMinute) {
      this.paygTokensPerMinute = paygTokensPerMinute;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalStateException naming each required part not set
     * @throws IllegalArgumentException when a value is out of range
     */
    public ReplaySettings build() {
      List<String> missing = new ArrayList<>();
      if (throughput == null) {
        missing.add("throughput");
      }
      if (paygPrice == null) {
        missing.add("paygPrice");
      }
      if (ptuUnitMonthly == null) {
        missing.add("ptuUnitMonthly");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("ReplaySettings.builder() needs " + String.join(", ", missing) + " set");
      }
      return new ReplaySettings(Optional.ofNullable(model), routing, throughput, burst, paygPrice, ptuUnitMonthly,
          paygTokensPerMinute, seed);
    }
  }
}
