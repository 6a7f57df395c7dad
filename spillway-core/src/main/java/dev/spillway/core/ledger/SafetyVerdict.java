package dev.spillway.core.ledger;

import dev.spillway.core.guard.GuardAction;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the content guard did about one request, as its ledger row keeps it: the strongest action taken ({@link Level}),
 * the category of the finding that called for it ({@code pii.email}, {@code prompt_injection}, Azure's {@code hate},
 * ...) and that finding's severity. Never the text that matched: only the verdict, a category name chosen by the
 * guard's own rules and a number.
 *
 * <p>Design: the category is checked here ({@value #MAX_CATEGORY_LENGTH} characters at most of lower-case letters,
 * digits, {@code .}, {@code _} and {@code -}) rather than in the stores, so a guard rule that named a category badly
 * fails where it is made and never as a ledger batch that cannot be written. A verdict without findings ({@link
 * Level#NONE}) has no category and severity 0.
 *
 * @param level what the guard did, {@link Level#NONE} when it did nothing or did not run
 * @param category the finding's category, empty for {@link Level#NONE}
 * @param severity the finding's severity, {@value #MIN_SEVERITY} to {@value #MAX_SEVERITY} on Azure AI Content
 *     Safety's scale as the guard reports it ({@link dev.spillway.core.guard.GuardFinding#severity()}); 0 for {@link
 *     Level#NONE}, and for verdicts recorded without one (rows written before the ledger had the column)
 */
public record SafetyVerdict(Level level, String category, int severity) {
  /** Longest category kept. */
  public static final int MAX_CATEGORY_LENGTH = 64;
  /** The lowest severity: safe, and the severity of a verdict recorded without one. */
  public static final int MIN_SEVERITY = 0;
  /** The highest severity. */
  public static final int MAX_SEVERITY = 7;

  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9._-]{0," + MAX_CATEGORY_LENGTH + "}");

  /** No guard finding (the default of every row, and of rows written before the ledger had the columns). */
  public static final SafetyVerdict NONE = new SafetyVerdict(Level.NONE, "", 0);

  /** What was done, in rising order of force; the ledger's {@code safety_verdict} column holds its wire name. */
  public enum Level {
    NONE,
    /** The request went on unchanged; the finding was recorded. */
    LOGGED,
    /** The matched span was replaced before the text went on. */
    MASKED,
    /** The request, or the rest of its answer, was refused. */
    BLOCKED;

    /** {@code none}, {@code logged}, {@code masked} or {@code blocked}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The level of a ledger value; empty for a name this version does not know. */
    public static Optional<Level> fromWireName(String name) {
      return Arrays.stream(values()).filter(l -> l.wireName().equals(name)).findFirst();
    }
  }

  public SafetyVerdict {
    Objects.requireNonNull(level, "level");
    category = category == null ? "" : category.strip().toLowerCase(Locale.ROOT);
    if (level == Level.NONE && !category.isEmpty()) {
      throw new IllegalArgumentException("a verdict of none has no category");
    }
    if (!CATEGORY.matcher(category).matches()) {
      throw new IllegalArgumentException("a safety category is at most " + MAX_CATEGORY_LENGTH
          + " characters of a-z, 0-9, '.', '_' and '-'");
    }
    if (severity < MIN_SEVERITY || severity > MAX_SEVERITY) {
      throw new IllegalArgumentException(
          "a safety severity is " + MIN_SEVERITY + " to " + MAX_SEVERITY + ", not " + severity);
    }
    if (level == Level.NONE && severity != MIN_SEVERITY) {
      throw new IllegalArgumentException("a verdict of none has severity 0");
    }
  }

  /** A verdict recorded without a severity (0), as from a finding that has none. */
  public SafetyVerdict(Level level, String category) {
    this(level, category, MIN_SEVERITY);
  }

  /**
   * The verdict for what a guard rule asked for about a finding of {@code category} at {@code severity} (0 to 7):
   * {@code allow} is {@link #NONE} (the category and severity are then dropped).
   */
  public static SafetyVerdict of(GuardAction action, String category, int severity) {
    return switch (Objects.requireNonNull(action, "action")) {
      case ALLOW -> NONE;
      case LOG -> new SafetyVerdict(Level.LOGGED, category, severity);
      case MASK -> new SafetyVerdict(Level.MASKED, category, severity);
      case BLOCK -> new SafetyVerdict(Level.BLOCKED, category, severity);
    };
  }

  /**
   * The stronger of the two: the higher level; of two of the same level, the higher severity; of two alike in both,
   * this one (the first finding's category is kept).
   */
  public SafetyVerdict stronger(SafetyVerdict other) {
    int byLevel = Integer.compare(other.level.ordinal(), level.ordinal());
    return byLevel > 0 || byLevel == 0 && other.severity > severity ? other : this;
  }

  /** True when the guard did something. */
  public boolean any() {
    return level != Level.NONE;
  }
}
