package dev.spillway.core.guard.injection;

import dev.spillway.core.guard.GuardAction;
import java.util.Objects;

/**
 * How the prompt-injection detector decides: the score at which a text is reported, and what the finding asks for.
 *
 * <pre>
 * injection:
 *   threshold: 1.0     # the score at which a text is a prompt injection (0.25 to 4; lower catches more)
 *   action: block      # log, mask (the finding's span: the strongest cue) or block
 * </pre>
 *
 * <p>The default threshold is the lowest of the benchmark's sweep ({@code bench/run-guard-injection}) that flags at most
 * 2 % of the development halves of its ordinary sets (Dolly's instructions and the persona-heavy awesome-chatgpt-prompts);
 * its held-out figures are in docs/guard-injection.md.
 *
 * @param threshold the score at which a finding is made; one strong rule (weight 1.0) reaches the default alone
 * @param action what a finding asks for; {@link GuardAction#ALLOW} is not an action for a detector
 */
public record InjectionSettings(double threshold, GuardAction action) {
  /** The default threshold (see the class comment). */
  public static final double DEFAULT_THRESHOLD = 1.0;
  /** The lowest threshold accepted: below it, single weak cues (a persona, the word "hypothetical") would decide. */
  public static final double MIN_THRESHOLD = 0.25;
  /** The highest threshold accepted. */
  public static final double MAX_THRESHOLD = 4.0;

  public InjectionSettings {
    Objects.requireNonNull(action, "action");
    if (!(threshold >= MIN_THRESHOLD && threshold <= MAX_THRESHOLD)) {
      throw new IllegalArgumentException("injection threshold is " + MIN_THRESHOLD + " to " + MAX_THRESHOLD + ", not "
          + threshold);
    }
    if (action == GuardAction.ALLOW) {
      throw new IllegalArgumentException("injection action is log, mask or block, not allow");
    }
  }

  /** The default threshold, blocking. */
  public static InjectionSettings defaults() {
    return new InjectionSettings(DEFAULT_THRESHOLD, GuardAction.BLOCK);
  }

  /** These settings with another threshold. */
  public InjectionSettings withThreshold(double value) {
    return new InjectionSettings(value, action);
  }

  /** These settings with another action. */
  public InjectionSettings withAction(GuardAction value) {
    return new InjectionSettings(threshold, value);
  }
}
