package dev.spillway.core.guard;

import java.util.Objects;

/**
 * One thing a check found in a text: what to do about it, what kind of thing it is, how grave, which rule said so, and
 * where (character offsets, {@code start} inclusive, {@code end} exclusive; {@code 0, 0} for a finding about the whole
 * text, such as a size limit). Never the matched text itself: findings travel into events and logs, and the text they
 * point at may be a secret or personal data.
 *
 * @param action what the rule asks for
 * @param category dotted, lower case: {@code pii.credit_card}, {@code pii.email}, {@code blocklist}, {@code regex},
 *     {@code size}, {@code prompt_injection}, or Azure's {@code hate}, {@code sexual}, {@code violence},
 *     {@code self_harm}, {@code jailbreak}, {@code protected_material}
 * @param severity 0 (safe) to 7 (most severe), Azure AI Content Safety's scale
 * @param ruleId the configured rule's id (a blocklist's name, a pattern's id, a recognizer's name)
 */
public record GuardFinding(GuardAction action, String category, int severity, String ruleId, int start, int end) {
  public GuardFinding {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(ruleId, "ruleId");
    if (severity < 0 || severity > 7) {
      throw new IllegalArgumentException("severity is 0 to 7, not " + severity);
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("span [" + start + ", " + end + ") is not a span");
    }
  }

  /** A finding about the whole text rather than a span of it. */
  public static GuardFinding whole(GuardAction action, String category, int severity, String ruleId) {
    return new GuardFinding(action, category, severity, ruleId, 0, 0);
  }

  /** Whether this finding points at a span (and so can be masked). */
  public boolean hasSpan() {
    return end > start;
  }
}
