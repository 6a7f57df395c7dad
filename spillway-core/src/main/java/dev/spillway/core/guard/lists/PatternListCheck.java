package dev.spillway.core.guard.lists;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular-expression deny and allow lists, with the semantics of Kong's AI prompt guard: deny patterns come first,
 * and every match of one is a finding (its span, category {@value #DENIED}, the pattern's action, the pattern's id as
 * rule id); then, if there are allow patterns and none of them matches anywhere in the text, one whole-text finding
 * (category {@value #NOT_ALLOWED}, {@code BLOCK}, the list's name as rule id). Deny wins: a text that matches both a
 * deny and an allow pattern still has its deny findings. Patterns are Java's {@link Pattern} syntax, searched with
 * {@code find} (use {@code (?i)} and the like inline); an empty match is not a finding (a pattern such as {@code x*}
 * would otherwise flag every text), and the empty text is not inspected at all.
 *
 * <p>Backtracking budget: patterns come from config, and some take exponential time on a text they almost match:
 * {@code (a+){1,40}$} or {@code (a+)+\1?$} on {@code "aaaa…!"} (the classic {@code (a+)+$} no longer does: Java's
 * matcher has memoized unbounded group repetition since Java 9, but not bounded repetition or groups that a
 * backreference reads). Each pattern is therefore run over a {@link CountingText} allowing {@code readsPerChar}
 * reads per character of the text (1,000 unless set; a text shorter than 64 characters counts as 64), which a sound
 * pattern never needs but a runaway one spends in milliseconds. A pattern that spends its budget, or recurses past
 * the thread's stack (Java's matcher recurses per repetition of a group, so {@code (a|b)*} can overflow on a long
 * text), fails closed: a deny pattern gives a whole-text finding of category {@value #BUDGET} with its own action,
 * besides the matches it found before; an allow pattern counts as not matching, and its whole-text
 * {@value #BUDGET} finding is a {@code LOG} (the block, if no other allow pattern matches, is the
 * {@value #NOT_ALLOWED} finding). A pattern that starts with {@code .*} is quadratic in a line's length under
 * {@code find} and may spend its budget on a long one: leave the {@code .*} out, {@code find} looks everywhere.
 *
 * <p>Invalid patterns fail the build with a message naming the pattern's id (not the pattern, which may name what
 * it guards). Findings never hold the matched text.
 */
public final class PatternListCheck implements TextCheck {
  /** The category of a deny pattern's match. */
  public static final String DENIED = "regex";
  /** The category of the whole-text finding when no allow pattern matched. */
  public static final String NOT_ALLOWED = "regex.not_allowed";
  /** The category of the whole-text finding of a pattern that spent its budget. */
  public static final String BUDGET = "regex.budget";

  private static final int MIN_COUNTED_LENGTH = 64;
  private static final Comparator<GuardFinding> BY_SPAN =
      Comparator.comparingInt(GuardFinding::start).thenComparingInt(GuardFinding::end);

  /** One configured pattern: its id, the compiled pattern, and the action of its findings. */
  private record Rule(String id, Pattern pattern, GuardAction action) {}

  private final String name;
  private final List<Rule> deny;
  private final List<Rule> allow;
  private final int severity;
  private final long readsPerChar;

  private PatternListCheck(String name, List<Rule> deny, List<Rule> allow, int severity, long readsPerChar) {
    this.name = name;
    this.deny = deny;
    this.allow = allow;
    this.severity = severity;
    this.readsPerChar = readsPerChar;
  }

  /**
   * A builder; a name and at least one pattern are required; deny patterns' action is {@code BLOCK}, the severity 4
   * and the budget 1,000 reads per character unless set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code regex:} and the list's name. */
  @Override
  public String id() {
    return "regex:" + name;
  }

  @Override
  public List<GuardFinding> inspect(CharSequence text) {
    if (text.isEmpty()) {
      return List.of();
    }
    long budget = readsPerChar * Math.max(text.length(), MIN_COUNTED_LENGTH);
    CountingText counted = new CountingText(text, budget);
    List<GuardFinding> found = new ArrayList<>();
    for (Rule rule : deny) {
      counted.reset(budget);
      Matcher matcher = rule.pattern().matcher(counted);
      try {
        while (matcher.find()) {
          if (matcher.end() > matcher.start()) {
            found.add(new GuardFinding(rule.action(), DENIED, severity, rule.id(), matcher.start(), matcher.end()));
          }
        }
      } catch (CountingText.BudgetSpent | StackOverflowError e) {
        found.add(GuardFinding.whole(rule.action(), BUDGET, severity, rule.id()));
      }
    }
    if (!allow.isEmpty() && !anyAllowMatches(counted, budget, found)) {
      found.add(GuardFinding.whole(GuardAction.BLOCK, NOT_ALLOWED, severity, name));
    }
    if (found.isEmpty()) {
      return List.of();
    }
    found.sort(BY_SPAN);
    return List.copyOf(found);
  }

  /** Whether an allow pattern matches, trying them in order; one that spends its budget adds a LOG finding. */
  private boolean anyAllowMatches(CountingText counted, long budget, List<GuardFinding> found) {
    for (Rule rule : allow) {
      counted.reset(budget);
      try {
        if (rule.pattern().matcher(counted).find()) {
          return true;
        }
      } catch (CountingText.BudgetSpent | StackOverflowError e) {
        found.add(GuardFinding.whole(GuardAction.LOG, BUDGET, severity, rule.id()));
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "PatternListCheck[" + name + ", " + deny.size() + " deny, " + allow.size() + " allow, severity " + severity
        + ", " + readsPerChar + " reads per char]";
  }

  /** Collects a pattern list's name, patterns, actions, severity and budget. Not thread-safe; use it once. */
  public static final class Builder {
    private record Entry(String id, String regex, GuardAction action) {}

    private String name;
    private final List<Entry> deny = new ArrayList<>();
    private final List<Entry> allow = new ArrayList<>();
    private GuardAction action = GuardAction.BLOCK;
    private int severity = 4;
    private long readsPerChar = 1000;

    private Builder() {}

    /** The list's name: the check's id after {@code regex:}, and the rule id of the not-allowed finding. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A deny pattern whose findings take the list's {@link #action}. */
    public Builder deny(String id, String regex) {
      deny.add(new Entry(Objects.requireNonNull(id, "id"), Objects.requireNonNull(regex, "regex"), null));
      return this;
    }

    /** A deny pattern with an action of its own. */
    public Builder deny(String id, String regex, GuardAction action) {
      deny.add(new Entry(Objects.requireNonNull(id, "id"), Objects.requireNonNull(regex, "regex"),
          Objects.requireNonNull(action, "action")));
      return this;
    }

    /** An allow pattern: once any is given, a text that matches none of them is blocked. */
    public Builder allow(String id, String regex) {
      allow.add(new Entry(Objects.requireNonNull(id, "id"), Objects.requireNonNull(regex, "regex"), GuardAction.ALLOW));
      return this;
    }

    /** The action of deny patterns that have none of their own; {@code BLOCK} unless set. */
    public Builder action(GuardAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** 0 to 7, the severity of every finding of the list. */
    public Builder severity(int severity) {
      this.severity = severity;
      return this;
    }

    /** How many character reads a pattern may make per character of the text before it is stopped. */
    public Builder readsPerChar(long readsPerChar) {
      this.readsPerChar = readsPerChar;
      return this;
    }

    /**
     * The check, every pattern compiled.
     *
     * @throws IllegalArgumentException when the name is missing, there is no pattern, an id is blank or repeated, a
     *     pattern does not compile (the message names its id and says what is wrong where), the severity is outside 0
     *     to 7 or the budget is below one read per character
     */
    public PatternListCheck build() {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a pattern list needs a name");
      }
      String list = "pattern list '" + name + "': ";
      if (deny.isEmpty() && allow.isEmpty()) {
        throw new IllegalArgumentException(list + "no deny or allow patterns");
      }
      if (severity < 0 || severity > 7) {
        throw new IllegalArgumentException(list + "severity is 0 to 7, not " + severity);
      }
      if (readsPerChar < 1 || readsPerChar > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            list + "reads per char is 1 to " + Integer.MAX_VALUE + ", not " + readsPerChar);
      }
      Set<String> ids = new HashSet<>();
      List<Rule> denyRules = compile(deny, list, ids);
      List<Rule> allowRules = compile(allow, list, ids);
      return new PatternListCheck(name, denyRules, allowRules, severity, readsPerChar);
    }

    private List<Rule> compile(List<Entry> entries, String list, Set<String> ids) {
      List<Rule> rules = new ArrayList<>();
      for (Entry entry : entries) {
        if (entry.id().isBlank()) {
          throw new IllegalArgumentException(list + "a pattern needs an id");
        }
        if (!ids.add(entry.id())) {
          throw new IllegalArgumentException(list + "pattern id '" + entry.id() + "' is used twice");
        }
        Pattern pattern;
        try {
          pattern = Pattern.compile(entry.regex());
        } catch (PatternSyntaxException e) {
          String where = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
          throw new IllegalArgumentException(
              list + "pattern '" + entry.id() + "' is not a valid regular expression: " + e.getDescription() + where);
        }
        rules.add(new Rule(entry.id(), pattern, entry.action() == null ? action : entry.action()));
      }
      return List.copyOf(rules);
    }
  }
}
