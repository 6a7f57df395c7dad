package dev.spillway.core.guard;

/**
 * What a guard does about a finding, in rising order of force: when several findings meet, the strongest wins
 * ({@link #max}).
 *
 * <ul>
 *   <li>{@link #ALLOW}: nothing; an allow-list rule that matched says so.
 *   <li>{@link #LOG}: the request goes on unchanged; a safety event is recorded.
 *   <li>{@link #MASK}: the matched span is replaced by a placeholder before the text goes on; an event is recorded.
 *   <li>{@link #BLOCK}: the request (or the rest of an answer) is refused; an event is recorded.
 * </ul>
 */
public enum GuardAction {
  ALLOW,
  LOG,
  MASK,
  BLOCK;

  /** The stronger of the two. */
  public GuardAction max(GuardAction other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** Parses {@code allow|log|mask|block}, any case; an unknown word names the choices. */
  public static GuardAction parse(String word) {
    for (GuardAction a : values()) {
      if (a.name().equalsIgnoreCase(word.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException("'" + word + "' is not a guard action: allow, log, mask or block");
  }
}
