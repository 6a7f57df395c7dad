package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The guard of a model's answers: which checks run over the generated text, and how a stream is checked a window at a
 * time. Immutable and thread-safe; built once from config, it hands out an {@link AnswerGuard} for whole answers
 * (which is stateless and may be shared) and a new stream guard per streamed answer ({@link StreamGuard} for chat and
 * completions, {@link ResponseStreamGuard} for the Responses API).
 *
 * <p>A stream is checked in windows so that it is never held back whole: a choice's text is released once
 * {@code windowChars} new characters have been checked, keeping back the last {@code overlapChars} (the tail of the
 * window, where a word or number may go on in text not yet arrived), which are checked again, whole, at the front of
 * the next window. The overlap should be at least as long as the longest thing a check must see whole (a card number
 * with its spaces, an e-mail address, a blocklisted phrase); the window trades latency for fewer check runs.
 *
 * @param checks the checks to run, in order; none makes both guards pass everything through untouched
 * @param windowChars the new characters (UTF-16 units) of a choice checked and released at a time, at least 16
 * @param overlapChars the characters at most carried from one window into the next, 0 up to {@code windowChars}
 */
public record OutputGuard(List<TextCheck> checks, int windowChars, int overlapChars) {
  /** The window when config does not say. */
  public static final int DEFAULT_WINDOW_CHARS = 400;
  /** The overlap when config does not say. */
  public static final int DEFAULT_OVERLAP_CHARS = 64;

  public OutputGuard {
    checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
    if (windowChars < 16) {
      throw new IllegalArgumentException("windowChars is at least 16, not " + windowChars);
    }
    if (overlapChars < 0 || overlapChars > windowChars) {
      throw new IllegalArgumentException(
          "overlapChars is 0 to windowChars (" + windowChars + "), not " + overlapChars);
    }
  }

  /** The guard running {@code checks} with the default window and overlap. */
  public static OutputGuard of(List<TextCheck> checks) {
    return new OutputGuard(checks, DEFAULT_WINDOW_CHARS, DEFAULT_OVERLAP_CHARS);
  }

  /** This guard with another window and overlap. */
  public OutputGuard withWindow(int windowChars, int overlapChars) {
    return new OutputGuard(checks, windowChars, overlapChars);
  }

  /** Whether there is nothing to check, so that answers and streams pass untouched. */
  public boolean passesEverything() {
    return checks.isEmpty();
  }

  /** The guard of whole answers; stateless, so one serves every request. */
  public AnswerGuard answerGuard() {
    return new AnswerGuard(this);
  }

  /** A guard for one streamed chat or legacy completion; not thread-safe. */
  public StreamGuard streamGuard() {
    return new StreamGuard(this);
  }

  /** A guard for one streamed Responses API answer; not thread-safe. */
  public ResponseStreamGuard responseStreamGuard() {
    return new ResponseStreamGuard(this);
  }

  /** Every check's findings in {@code text}, check by check. */
  List<GuardFinding> inspect(CharSequence text) {
    if (checks.size() == 1) {
      return checks.get(0).inspect(text);
    }
    List<GuardFinding> all = new ArrayList<>();
    for (TextCheck check : checks) {
      all.addAll(check.inspect(text));
    }
    return all;
  }
}
