package dev.spillway.core.guard.injection;

import java.util.List;
import java.util.Objects;

/**
 * What the detector made of one text, for benchmarks, tests and tuning: the score and each matched rule with the span
 * of its first match (offsets only, never text). {@link PromptInjectionDetector#inspect} turns this into at most one
 * finding; this record is its long form.
 *
 * @param score the sum of the matched rules' weights
 * @param matches the matched rules, in the rule table's order
 */
public record InjectionAssessment(double score, List<Match> matches) {
  public InjectionAssessment {
    matches = List.copyOf(matches);
  }

  /** One matched rule: its id and weight, and where its first match starts and ends. */
  public record Match(String ruleId, double weight, int start, int end) {
    public Match {
      Objects.requireNonNull(ruleId, "ruleId");
    }
  }

  /** Whether the score reaches {@code threshold}. */
  public boolean reaches(double threshold) {
    return score >= threshold - 1e-9;
  }

  /** The ids of the matched rules. */
  public List<String> rules() {
    return matches.stream().map(Match::ruleId).toList();
  }

  /** The heaviest matched rule (the first of equals), or {@code null} when none matched. */
  public Match strongest() {
    Match best = null;
    for (Match m : matches) {
      if (best == null || m.weight() > best.weight()) {
        best = m;
      }
    }
    return best;
  }
}
