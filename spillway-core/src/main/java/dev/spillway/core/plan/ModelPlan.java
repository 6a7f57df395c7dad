package dev.spillway.core.plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The plan of one model: what was replayed, on which assumptions, what each candidate showed and what is
 * recommended.
 *
 * @param model the logical model
 * @param requests requests replayed
 * @param skippedRows rows of the model without tokens, not replayed
 * @param recordedPaygShare the share of the model's tokens the ledger shows PAYG served, 0..1
 * @param throughput the PTU figures the replay used
 * @param maxWaitForPtu the model's wait budget for the PTU, as configured
 * @param paygTokensPerMinute the PAYG quota the replay used; 0 for ample
 * @param candidates one result per candidate, by PTU count
 * @param recommendation the candidate recommended for the target
 */
public record ModelPlan(
    String model,
    long requests,
    long skippedRows,
    double recordedPaygShare,
    PtuThroughput throughput,
    Duration maxWaitForPtu,
    long paygTokensPerMinute,
    List<CandidateResult> candidates,
    Recommendation recommendation) {
  public ModelPlan {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(throughput, "throughput");
    Objects.requireNonNull(maxWaitForPtu, "maxWaitForPtu");
    Objects.requireNonNull(recommendation, "recommendation");
    candidates = List.copyOf(candidates);
  }
}
