package dev.spillway.gateway.admin;

import dev.spillway.core.chargeback.ChargebackCalculator;
import dev.spillway.core.chargeback.PromptCacheCalculator;
import dev.spillway.core.chargeback.ReportDimension;
import dev.spillway.core.chargeback.ReportFormat;
import dev.spillway.core.chargeback.ReportParameterException;
import dev.spillway.core.chargeback.ReportRequest;
import dev.spillway.core.chargeback.SafetyCalculator;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageTotals;
import dev.spillway.gateway.ledger.Ledgers;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.http.GatewayHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /admin/usage?from=&to=&by=&format=&cache=&safety=&bucket=}: the chargeback report of the usage ledger, as
 * {@code spillway report} prints it, JSON unless {@code format=csv|table}; with {@code cache=true} the prompt-cache
 * report instead (by consumer unless {@code by=team}); with {@code safety=true} the safety report (the content guard's
 * verdicts per {@code bucket=day|hour}, by category and by severity, and the end users flagged most often). Parameters as in {@link ReportRequest};
 * a bad one is a {@code 400} naming it. Without a configured ledger the answer is {@code 409 ledger_not_configured}
 * (the route exists, the gateway is just not set up for it); a store that cannot be read is {@code 503
 * ledger_unavailable}.
 *
 * <p>The ledger is read off the event loop through a reader opened for the request and closed after it, so nothing
 * is held between reports.
 */
final class UsageAdmin {
  private static final Logger LOG = System.getLogger(UsageAdmin.class.getName());

  private final Vertx vertx;
  private final LedgerConfig ledger;
  private final CostsConfig costs;
  private final Clock clock;

  UsageAdmin(Vertx vertx, LedgerConfig ledger, CostsConfig costs, Clock clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.costs = costs;
    this.clock = clock;
  }

  void handle(HttpServerRequest request, String requestId) {
    ReportRequest asked;
    try {
      asked = ReportRequest.parse(name -> Optional.ofNullable(request.getParam(name)), ReportFormat.JSON,
          clock.instant());
    } catch (ReportParameterException e) {
      ErrorResponder.send(request.response(), GatewayError.invalidParameter(e.parameter(), e.getMessage()), requestId);
      return;
    }
    if (!ledger.enabled()) {
      ErrorResponder.send(request.response(), GatewayError.ledgerNotConfigured(), requestId);
      return;
    }
    vertx
        .executeBlocking(() -> {
          try (LedgerReader reader = Ledgers.openReader(ledger).orElseThrow()) {
            if (asked.safety()) {
              return asked.format().render(SafetyCalculator.report(
                  reader.safety(asked.period().from(), asked.period().to(), asked.bucket()), asked.period(),
                  asked.bucket()));
            }
            if (asked.promptCache()) {
              return asked.format().render(PromptCacheCalculator.report(
                  reader.promptCache(asked.period().from(), asked.period().to()), costs, asked.period(), asked.by()));
            }
            // Only a report by user needs the sums split by end user (of which there may be many).
            List<UsageTotals> usage = asked.by() == ReportDimension.USER
                ? reader.totalsByEndUser(asked.period().from(), asked.period().to())
                : reader.totals(asked.period().from(), asked.period().to());
            return asked.format().render(ChargebackCalculator.report(usage, costs, asked.period(), asked.by()));
          }
        }, false)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            request.response()
                .setStatusCode(200)
                .putHeader("content-type", asked.format().contentType())
                .putHeader("cache-control", "no-store")
                .putHeader(GatewayHeaders.REQUEST_ID, requestId)
                .end(ar.result());
          } else if (ar.cause() instanceof LedgerUnavailableException e) {
            LOG.log(Level.WARNING, "usage report: ledger unavailable: " + e.getMessage());
            ErrorResponder.send(request.response(), GatewayError.ledgerUnavailable(), requestId);
          } else {
            LOG.log(Level.ERROR, "usage report failed", ar.cause());
            ErrorResponder.send(request.response(), GatewayError.internal(), requestId);
          }
        });
  }
}
