package dev.spillway.simulator;

import dev.spillway.core.time.Ticker;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * Admission as HTTP: applies {@link SpilloverAdmission} at the ticker's now and writes what it
 * decided onto the response (the deciding limiter's headers, the spillover headers when it spilled,
 * and the whole {@code 429} when nothing admitted the request). One per simulator; thread-safe.
 */
final class ExchangeAdmission {
  private final Ticker ticker;
  private final boolean retryAfterMs;

  /** @param retryAfterMs whether a 429 carries {@code retry-after-ms} besides {@code retry-after} */
  ExchangeAdmission(Ticker ticker, boolean retryAfterMs) {
    this.ticker = ticker;
    this.retryAfterMs = retryAfterMs;
  }

  /**
   * Books the cost on the addressed deployment or its spillover deployment, or answers 429.
   * Returns the exchange as the deployment that admitted it answers it, or empty once the 429 is sent.
   */
  Optional<Exchange> admit(Exchange x, long promptTokens, long completionTokens) {
    HttpServerResponse res = x.req().response();
    SpilloverAdmission.Outcome outcome =
        SpilloverAdmission.admit(x.deployment(), x.spillover(), promptTokens, completionTokens, ticker.read());
    DeploymentRuntime answeredBy = outcome.answeredBy();
    if (outcome.spilled()) {
      res.putHeader(SimulatorHandler.DEPLOYMENT_NAME_HEADER, answeredBy.config().name());
      res.putHeader(SpilloverAdmission.FROM_HEADER, x.deployment().config().name());
      res.putHeader(SpilloverAdmission.ERROR_HEADER, "429");
    }
    Admission admission = outcome.admission();
    admission.headers().forEach(res::putHeader);
    if (admission.admitted()) {
      return Optional.of(x.answeredBy(answeredBy));
    }
    if (retryAfterMs) {
      res.putHeader("retry-after-ms", Long.toString(admission.retryAfterMillis()));
    }
    res.putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
    Replies.error(res, 429, "429", AzureErrors.rateLimited(x.op(), x.apiVersion(), answeredBy.config().name(),
        admission.exceededLimit(), admission.retryAfterSeconds()));
    return Optional.empty();
  }
}
