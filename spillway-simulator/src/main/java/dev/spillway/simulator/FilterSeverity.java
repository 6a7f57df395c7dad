package dev.spillway.simulator;

import java.util.Locale;
import java.util.Optional;

/**
 * How harmful content is, on Azure AI Content Safety's eight-level scale (0 to 7). Azure OpenAI reports it as one of
 * four names, each covering two levels: {@code safe} (0–1), {@code low} (2–3), {@code medium} (4–5) and {@code high}
 * (6–7); Content Safety's four-level output rounds it down to an even level (0, 2, 4, 6). Written in config and headers
 * as a name (which means the band's lower level) or as a level.
 *
 * @param level 0 to 7
 */
public record FilterSeverity(int level) {
  public static final FilterSeverity SAFE = new FilterSeverity(0);
  public static final FilterSeverity LOW = new FilterSeverity(2);
  public static final FilterSeverity MEDIUM = new FilterSeverity(4);
  public static final FilterSeverity HIGH = new FilterSeverity(6);
  private static final String[] NAMES = {"safe", "low", "medium", "high"};

  public FilterSeverity {
    if (level < 0 || level > 7) {
      throw new IllegalArgumentException("a severity level is 0 to 7, got " + level);
    }
  }

  /** {@code safe}, {@code low}, {@code medium} or {@code high}, as Azure OpenAI reports it. */
  public String label() {
    return NAMES[level / 2];
  }

  /** The level on Content Safety's four-level scale: 0, 2, 4 or 6. */
  public int fourLevel() {
    return level & ~1;
  }

  /** Whether this is in {@code threshold}'s band or above, i.e. filtered by a filter set at {@code threshold}. */
  public boolean reaches(FilterSeverity threshold) {
    return level / 2 >= threshold.level / 2;
  }

  /** The higher of the two. */
  FilterSeverity max(FilterSeverity other) {
    return other.level > level ? other : this;
  }

  /** A severity written as {@code safe|low|medium|high} (any case) or {@code 0}..{@code 7}, if {@code text} is one. */
  public static Optional<FilterSeverity> parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(value)) {
        return Optional.of(new FilterSeverity(2 * i));
      }
    }
    if (value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '7') {
      return Optional.of(new FilterSeverity(value.charAt(0) - '0'));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label() + "(" + level + ")";
  }
}
