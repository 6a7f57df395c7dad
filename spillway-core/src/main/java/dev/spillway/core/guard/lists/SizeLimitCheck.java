package dev.spillway.core.guard.lists;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Limits on a text's size: at most so many characters, and optionally at most so many lines. A text over a limit
 * gives one whole-text finding per limit it passes, category {@value #CATEGORY}, rule id {@value #MAX_CHARS} or
 * {@value #MAX_LINES}, the configured action ({@code BLOCK} unless set). A cheap first check: an oversized prompt is
 * refused before the costlier checks read it.
 *
 * <p>Characters are UTF-16 chars, what {@link CharSequence#length()} counts (a letter outside the Basic Multilingual
 * Plane, such as most emoji, counts two). Lines end at {@code \n}, {@code \r\n} or {@code \r}; a final line needs no
 * line break, and a text that ends with one has no empty line after it ({@code "a\n"} is one line, {@code "a\nb"}
 * two). Counting lines stops as soon as the limit is passed.
 */
public final class SizeLimitCheck implements TextCheck {
  /** The category of its findings. */
  public static final String CATEGORY = "size";
  /** The rule id of a text over the character limit. */
  public static final String MAX_CHARS = "max_chars";
  /** The rule id of a text over the line limit. */
  public static final String MAX_LINES = "max_lines";

  private static final int UNLIMITED = Integer.MAX_VALUE;

  private final int maxChars;
  private final int maxLines;
  private final GuardAction action;
  private final int severity;

  private SizeLimitCheck(int maxChars, int maxLines, GuardAction action, int severity) {
    this.maxChars = maxChars;
    this.maxLines = maxLines;
    this.action = action;
    this.severity = severity;
  }

  /** A builder; at least one limit is required; the action is {@code BLOCK} and the severity 4 unless set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return "size";
  }

  @Override
  public List<GuardFinding> inspect(CharSequence text) {
    List<GuardFinding> found = new ArrayList<>(2);
    if (text.length() > maxChars) {
      found.add(GuardFinding.whole(action, CATEGORY, severity, MAX_CHARS));
    }
    if (maxLines != UNLIMITED && linesPass(text, maxLines)) {
      found.add(GuardFinding.whole(action, CATEGORY, severity, MAX_LINES));
    }
    return found.isEmpty() ? List.of() : List.copyOf(found);
  }

  /** Whether {@code text} has more than {@code limit} lines, reading only as far as it takes to know. */
  static boolean linesPass(CharSequence text, int limit) {
    int n = text.length();
    int lines = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean ends = c == '\n' || (c == '\r' && (i + 1 == n || text.charAt(i + 1) != '\n'));
      if (ends || i + 1 == n) {
        if (++lines > limit) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "SizeLimitCheck[" + (maxChars == UNLIMITED ? "" : "max " + maxChars + " chars, ")
        + (maxLines == UNLIMITED ? "" : "max " + maxLines + " lines, ") + action + ", severity " + severity + "]";
  }

  /** Collects the limits, the action and the severity. Not thread-safe; use it once. */
  public static final class Builder {
    private int maxChars = UNLIMITED;
    private int maxLines = UNLIMITED;
    private GuardAction action = GuardAction.BLOCK;
    private int severity = 4;

    private Builder() {}

    /** At most this many UTF-16 chars; at least 1. */
    public Builder maxChars(int maxChars) {
      this.maxChars = maxChars;
      return this;
    }

    /** At most this many lines; at least 1. */
    public Builder maxLines(int maxLines) {
      this.maxLines = maxLines;
      return this;
    }

    public Builder action(GuardAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** 0 to 7, as a finding's severity. */
    public Builder severity(int severity) {
      this.severity = severity;
      return this;
    }

    /**
     * The check.
     *
     * @throws IllegalArgumentException when neither limit is set, a limit is below 1, or the severity is outside 0
     *     to 7
     */
    public SizeLimitCheck build() {
      if (maxChars == UNLIMITED && maxLines == UNLIMITED) {
        throw new IllegalArgumentException("a size limit needs max chars, max lines or both");
      }
      if (maxChars < 1) {
        throw new IllegalArgumentException("size limit: max chars is at least 1, not " + maxChars);
      }
      if (maxLines < 1) {
        throw new IllegalArgumentException("size limit: max lines is at least 1, not " + maxLines);
      }
      if (severity < 0 || severity > 7) {
        throw new IllegalArgumentException("size limit: severity is 0 to 7, not " + severity);
      }
      return new SizeLimitCheck(maxChars, maxLines, action, severity);
    }
  }
}
