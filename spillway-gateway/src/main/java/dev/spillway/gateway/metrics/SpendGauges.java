package dev.spillway.gateway.metrics;

import dev.spillway.core.spend.Micros;
import dev.spillway.core.spend.PaygBudget;
import dev.spillway.core.spend.SpendBook;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;

/**
 * PAYG spend against each budget, in {@code costs.currency}: for every team budget {@code spillway_payg_spend{team,
 * period}} (this period's spend as this replica last read or counted it) beside {@code spillway_payg_budget{team,
 * period}}; consumer budgets the same under {@code spillway_payg_consumer_spend} and {@code _budget}, only when
 * consumer labels are on ({@code telemetry.metricLabels}), as for every other per-consumer series. And how often the
 * spend store failed ({@code spillway_payg_spend_store_failures_total{operation}}): each failed check left PAYG open.
 * Read from the spend book when scraped.
 */
final class SpendGauges {
  private SpendGauges() {}

  static void bind(MeterRegistry registry, SpendBook book, Clock clock, boolean consumerLabel) {
    if (!book.enforces()) {
      return;
    }
    String currency = book.currency();
    for (PaygBudget budget : book.configuredBudgets()) {
      if (!budget.team() && !consumerLabel) {
        continue;
      }
      Tags tags = Tags.of(budget.team() ? MeterNames.TEAM : MeterNames.CONSUMER, budget.owner(),
          MeterNames.PERIOD, budget.period().id());
      Gauge.builder(budget.team() ? MeterNames.PAYG_SPEND : MeterNames.PAYG_CONSUMER_SPEND, book,
              b -> Micros.toAmount(b.seenMicros(budget, clock.millis())).doubleValue())
          .description("PAYG spend of the current period, in " + currency + ", as this replica last read or counted it")
          .tags(tags)
          .strongReference(true)
          .register(registry);
      Gauge.builder(budget.team() ? MeterNames.PAYG_BUDGET : MeterNames.PAYG_CONSUMER_BUDGET, budget,
              b -> b.amount().doubleValue())
          .description("PAYG budget per period (paygBudget), in " + currency)
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
    for (SpendBook.Operation op : SpendBook.Operation.values()) {
      FunctionCounter.builder(MeterNames.PAYG_SPEND_STORE_FAILURES, book, b -> b.failures(op))
          .description("Calls to the PAYG spend store that failed; PAYG stayed open for each failed check")
          .tags(MeterNames.OPERATION_KIND, op.id())
          .register(registry);
    }
  }
}
