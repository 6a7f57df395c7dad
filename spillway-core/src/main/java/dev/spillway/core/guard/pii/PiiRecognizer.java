package dev.spillway.core.guard.pii;

import java.util.List;

/**
 * Finds the spans of one kind of personal data in a text, validating each candidate (checksums, ranges, issuer and
 * country tables) rather than accepting whatever a pattern matches. Pure and thread-safe, like the check it serves.
 */
public interface PiiRecognizer {
  /** The kind of data this recognizer finds. */
  PiiEntity entity();

  /** The spans found in {@code text}, ordered by start and not overlapping one another. */
  List<PiiSpan> find(CharSequence text);
}
