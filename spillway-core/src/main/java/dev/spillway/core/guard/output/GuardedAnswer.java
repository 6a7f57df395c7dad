package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;

/**
 * What the guard made of one whole answer: the body to send on, what the checks found in it (categories, rules and
 * offsets only, for events and metrics) and the strongest action among the findings ({@link GuardAction#ALLOW} when
 * there are none).
 *
 * @param body the answer's own bytes when nothing was masked or blocked; a rewritten answer otherwise
 * @param changed whether {@code body} was rewritten
 * @param action the strongest action found
 * @param findings every finding, choice by choice (offsets into that choice's text)
 */
public record GuardedAnswer(byte[] body, boolean changed, GuardAction action, List<GuardFinding> findings) {
  public GuardedAnswer {
    findings = List.copyOf(findings);
  }

  static GuardedAnswer unchanged(byte[] body) {
    return new GuardedAnswer(body, false, GuardAction.ALLOW, List.of());
  }

  /** Whether some choice (or the response) was refused and ends with {@code content_filter}. */
  public boolean blocked() {
    return action == GuardAction.BLOCK;
  }

  @Override
  public String toString() {
    return "GuardedAnswer[" + body.length + " bytes, changed=" + changed + ", action=" + action + ", findings="
        + findings + "]";
  }
}
