package dev.spillway.core.guard.injection;

import java.util.List;
import java.util.Objects;

/**
 * One named feature of the detector: an id for findings ({@code injection.override}), a hand-set weight that adds to a
 * text's score when any of its patterns matches (once, however often it matches), and whether a negation just before
 * the match cancels it ("do not ignore the rules above" is no override).
 *
 * @param id dotted, {@code injection.} first
 * @param weight what the rule adds to the score; a weight of the default threshold or more decides alone
 * @param negatable whether a {@link CueClass#NEGATOR} in the three words before the match cancels it
 * @param patterns the alternative cue sequences
 */
record CueRule(String id, double weight, boolean negatable, List<CuePattern> patterns) {
  /** Words before a match in which a negation cancels a negatable rule. */
  static final int NEGATION_REACH = 3;

  CueRule {
    Objects.requireNonNull(id, "id");
    if (!(weight > 0 && weight <= 4)) {
      throw new IllegalArgumentException("a rule's weight is in (0, 4], not " + weight);
    }
    patterns = List.copyOf(patterns);
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("rule " + id + " has no pattern");
    }
  }

  /** The first match of any pattern, packed as by {@link CuePattern#find}, or -1. */
  long find(CueTokens t) {
    CuePattern.StartFilter filter = negatable ? NOT_NEGATED : CuePattern.StartFilter.ANY;
    for (int i = 0; i < patterns.size(); i++) {
      long m = patterns.get(i).find(t, 0, filter);
      if (m >= 0) {
        return m;
      }
    }
    return -1;
  }

  private static final CuePattern.StartFilter NOT_NEGATED = CueRule::notNegated;

  private static boolean notNegated(CueTokens t, int index) {
    int reach = t.pos[index] - NEGATION_REACH;
    for (int j = index - 1; j >= 0 && t.pos[j] >= reach; j--) {
      if ((t.mask[j] & CueClass.NEGATOR.bit()) != 0) {
        return false;
      }
    }
    return true;
  }
}
