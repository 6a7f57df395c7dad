package dev.spillway.core.guard.injection;

import java.util.List;
import java.util.Objects;

/**
 * One named feature of the detector: an id for findings ({@code injection.override}), a hand-set weight that adds to a
 * text's score when any of its patterns matches (once, however often it matches), and whether a negation cancels the
 * match ("do not ignore the rules above" is no override).
 *
 * @param id dotted, {@code injection.} first
 * @param weight what the rule adds to the score; a weight of the default threshold or more decides alone
 * @param negation where a negation cancels a match
 * @param patterns the alternative cue sequences
 */
record CueRule(String id, double weight, Negation negation, List<CuePattern> patterns) {
  /** Words before a match in which a negation cancels a negatable rule. */
  static final int NEGATION_REACH = 3;
  /** Words after a match in which a trailing negation ("ignoriere die Regeln nicht") cancels an {@code AROUND} rule. */
  static final int TRAILING_REACH = 2;

  /** Where a negation cancels a match. */
  enum Negation {
    /** Never: the rule's cues are themselves negations ("no restrictions"). */
    NONE,
    /** A {@link CueClass#NEGATOR} or {@link CueClass#ML_NEGATOR} in the three words before the match. */
    BEFORE,
    /**
     * As {@code BEFORE}, or a trailing negation ({@link CueClass#ML_NEG_AFTER}: "nicht", "pas", "niet") inside the
     * match or in the two words after it, as German, French and Dutch place it.
     */
    AROUND
  }

  CueRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(negation, "negation");
    if (!(weight > 0 && weight <= 4)) {
      throw new IllegalArgumentException("a rule's weight is in (0, 4], not " + weight);
    }
    patterns = List.copyOf(patterns);
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("rule " + id + " has no pattern");
    }
  }

  /** The first match of any pattern that no negation cancels, packed as by {@link CuePattern#find}, or -1. */
  long find(CueTokens t) {
    CuePattern.StartFilter filter = negation == Negation.NONE ? CuePattern.StartFilter.ANY : NOT_NEGATED;
    for (int i = 0; i < patterns.size(); i++) {
      CuePattern p = patterns.get(i);
      int from = 0;
      while (from < t.count) {
        long m = p.find(t, from, filter);
        if (m < 0) {
          break;
        }
        if (negation != Negation.AROUND || !negatedAfter(t, (int) (m >>> 32), (int) m)) {
          return m;
        }
        from = (int) (m >>> 32) + 1;
      }
    }
    return -1;
  }

  private static final CuePattern.StartFilter NOT_NEGATED = CueRule::notNegated;
  private static final long NEGATORS = CueClass.NEGATOR.bit() | CueClass.ML_NEGATOR.bit();

  private static boolean notNegated(CueTokens t, int index) {
    int reach = t.pos[index] - NEGATION_REACH;
    for (int j = index - 1; j >= 0 && t.pos[j] >= reach; j--) {
      if ((t.mask[j] & NEGATORS) != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean negatedAfter(CueTokens t, int first, int last) {
    int reach = t.pos[last] + TRAILING_REACH;
    for (int j = first + 1; j < t.count && t.pos[j] <= reach; j++) {
      if ((t.mask[j] & CueClass.ML_NEG_AFTER.bit()) != 0) {
        return true;
      }
    }
    return false;
  }
}
