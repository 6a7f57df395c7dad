package dev.spillway.core.guard.pii;

/**
 * Where a recognizer found one entity: character offsets, {@code start} inclusive, {@code end} exclusive. Offsets only,
 * never the text, so a span can be logged.
 */
public record PiiSpan(int start, int end) {
  public PiiSpan {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("span [" + start + ", " + end + ") is empty or negative");
    }
  }

  /** Whether the two spans share at least one character. */
  public boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }

  public int length() {
    return end - start;
  }
}
