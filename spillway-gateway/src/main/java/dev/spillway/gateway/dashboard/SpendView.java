package dev.spillway.gateway.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.spillway.core.spend.Micros;
import dev.spillway.core.spend.PaygBudget;
import dev.spillway.core.spend.SpendBook;
import java.time.Clock;

/**
 * The {@code paygBudgets} part of the dashboard's stats: every configured PAYG budget (teams and consumers) with this
 * period's spend as this replica last read or counted it, in {@code costs.currency}.
 */
final class SpendView {
  private final SpendBook book;
  private final Clock clock;

  SpendView(SpendBook book, Clock clock) {
    this.book = book;
    this.clock = clock;
  }

  void write(ArrayNode out) {
    if (!book.enforces()) {
      return;
    }
    long now = clock.millis();
    for (PaygBudget budget : book.configuredBudgets()) {
      out.addObject()
          .put("owner", budget.owner())
          .put("kind", budget.team() ? "team" : "consumer")
          .put("period", budget.period().id())
          .put("spent", Micros.toAmount(book.seenMicros(budget, now)))
          .put("budget", budget.amount())
          .put("currency", book.currency());
    }
  }
}
