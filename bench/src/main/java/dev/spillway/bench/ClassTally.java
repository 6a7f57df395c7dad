package dev.spillway.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * What the critical and the standard consumer's clients got, answer by answer: how many 2xx answers,
 * how many of them PAYG served, and their latency. An answer was served by PAYG when the gateway
 * routed it there ({@code x-spillway-backend: payg}) or when the resource spilled it there itself.
 * The second shows in Azure's {@code x-ms-spillover-from-deployment}, but the gateway does not pass
 * that header on (it returns only rate-limit, retry and request-id headers), so the answer's {@code
 * model} decides: the simulator names there the deployment that answered. Both are visible to the
 * client, so this works for every configuration, Azure's own spillover included. Fed on the
 * generator's event loop; {@link #critical()} and {@link #standard()} may be read from any thread.
 */
final class ClassTally implements OpenLoopGenerator.AnswerListener {
  static final String BACKEND_HEADER = "x-spillway-backend";
  static final String SPILLOVER_FROM_HEADER = "x-ms-spillover-from-deployment";

  private final LongPredicate critical;
  private final String paygBackendId;
  private final String paygDeployment;
  private final Answers criticalAnswers = new Answers();
  private final Answers standardAnswers = new Answers();

  /**
   * @param critical which requests (by arrival index) the critical consumer sent
   * @param paygBackendId the gateway's id of the PAYG backend
   * @param paygDeployment the simulated PAYG deployment's name
   */
  ClassTally(LongPredicate critical, String paygBackendId, String paygDeployment) {
    this.critical = critical;
    this.paygBackendId = paygBackendId;
    this.paygDeployment = paygDeployment;
  }

  @Override
  public void answered(long index, JsonPost.Answer answer, long latencyNanos) {
    if (answer.status() < 200 || answer.status() >= 300) {
      return;
    }
    (critical.test(index) ? criticalAnswers : standardAnswers).add(servedByPayg(answer), latencyNanos);
  }

  private boolean servedByPayg(JsonPost.Answer answer) {
    if (paygBackendId.equals(answer.response().getHeader(BACKEND_HEADER))
        || answer.response().getHeader(SPILLOVER_FROM_HEADER) != null) {
      return true;
    }
    try {
      return paygDeployment.equals(new JsonObject(answer.body()).getString("model"));
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
  }

  Summary critical() {
    return criticalAnswers.summary();
  }

  Summary standard() {
    return standardAnswers.summary();
  }

  /**
   * One class's answers.
   *
   * @param ok 2xx answers to its measured requests
   * @param onPayg of those, served by PAYG (routed or spilled there)
   * @param latency their latency, from when each request was due
   */
  record Summary(long ok, long onPayg, LatencySummary latency) {
    /** Share of its answers PAYG served; 0 without answers. */
    double paygShare() {
      return ok == 0 ? 0 : onPayg / (double) ok;
    }
  }

  private static final class Answers {
    private final List<Long> latencies = new ArrayList<>();
    private long onPayg;

    synchronized void add(boolean payg, long latencyNanos) {
      latencies.add(latencyNanos);
      if (payg) {
        onPayg++;
      }
    }

    synchronized Summary summary() {
      return new Summary(latencies.size(), onPayg, LatencySummary.of(latencies));
    }
  }
}
