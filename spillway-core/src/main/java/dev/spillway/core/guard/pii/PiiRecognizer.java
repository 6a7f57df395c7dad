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

  /**
   * The spans {@link #find(CharSequence)} gives that overlap none of {@code claimed}: the spans {@link PiiCheck} has
   * already kept for entities of higher precedence, ordered by start, which would drop an overlapping span anyway. A
   * recognizer may use them to skip work (libphonenumber's scan of a card number); by default it finds everything
   * and drops what overlaps.
   */
  default List<PiiSpan> find(CharSequence text, List<PiiSpan> claimed) {
    List<PiiSpan> found = find(text);
    return claimed.isEmpty() ? found : found.stream().filter(s -> claimed.stream().noneMatch(s::overlaps)).toList();
  }
}
