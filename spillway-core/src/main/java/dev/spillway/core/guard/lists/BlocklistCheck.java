package dev.spillway.core.guard.lists;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named list of words and phrases that must not pass: one finding per occurrence of a term in the text, with its
 * span, category {@value #CATEGORY}, the list's action and severity, and the list's name as rule id. Matching is the
 * {@link KeywordAutomaton}'s: whole words only, case folded, runs of spaces as one (see {@link TermFolding}); one pass
 * over the text whatever the length of the list.
 *
 * <p>Terms that fold to the same one ({@code "Spam"}, {@code "SPAM"}, {@code "spam "}) are kept once, so a list
 * pasted from several sources needs no cleaning; an empty term is a mistake in the list and fails the build. Neither
 * the terms nor the matched text appear in a finding or in {@link #toString()}.
 */
public final class BlocklistCheck implements TextCheck {
  /** The category of every finding of a blocklist. */
  public static final String CATEGORY = "blocklist";

  private static final Comparator<GuardFinding> BY_SPAN =
      Comparator.comparingInt(GuardFinding::start).thenComparingInt(GuardFinding::end);

  private final String name;
  private final GuardAction action;
  private final int severity;
  private final KeywordAutomaton automaton;

  private BlocklistCheck(String name, GuardAction action, int severity, KeywordAutomaton automaton) {
    this.name = name;
    this.action = action;
    this.severity = severity;
    this.automaton = automaton;
  }

  /** A builder; a name and at least one term are required; the action is {@code BLOCK} and severity 4 unless set. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code blocklist:} and the list's name. */
  @Override
  public String id() {
    return "blocklist:" + name;
  }

  /** The list's name, the rule id of its findings. */
  public String name() {
    return name;
  }

  public GuardAction action() {
    return action;
  }

  public int severity() {
    return severity;
  }

  /** How many distinct terms the list holds once folded. */
  public int size() {
    return automaton.terms();
  }

  @Override
  public List<GuardFinding> inspect(CharSequence text) {
    List<GuardFinding> found = new ArrayList<>();
    automaton.search(
        text, (term, start, end) -> found.add(new GuardFinding(action, CATEGORY, severity, name, start, end)));
    if (found.isEmpty()) {
      return List.of();
    }
    found.sort(BY_SPAN);
    return List.copyOf(found);
  }

  @Override
  public String toString() {
    return "BlocklistCheck[" + name + ", " + size() + " terms, " + action + ", severity " + severity + "]";
  }

  /** Collects a blocklist's name, terms, action and severity. Not thread-safe; use it once. */
  public static final class Builder {
    private String name;
    private final List<String> terms = new ArrayList<>();
    private GuardAction action = GuardAction.BLOCK;
    private int severity = 4;

    private Builder() {}

    /** The list's name: the rule id of its findings, and the check's id after {@code blocklist:}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Adds a word or a phrase (words separated by spaces). */
    public Builder term(String term) {
      terms.add(Objects.requireNonNull(term, "term"));
      return this;
    }

    /** Adds each of {@code terms}, in order. */
    public Builder terms(Collection<String> terms) {
      terms.forEach(this::term);
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
     * The check, its terms folded and the repeats dropped.
     *
     * @throws IllegalArgumentException when the name is missing or blank, the severity is outside 0 to 7, there is no
     *     term, or a term is empty or cannot be matched (named by its position in the list, not by its text)
     */
    public BlocklistCheck build() {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a blocklist needs a name");
      }
      if (severity < 0 || severity > 7) {
        throw new IllegalArgumentException("blocklist '" + name + "': severity is 0 to 7, not " + severity);
      }
      if (terms.isEmpty()) {
        throw new IllegalArgumentException("blocklist '" + name + "' has no terms");
      }
      Set<String> distinct = new LinkedHashSet<>();
      for (int i = 0; i < terms.size(); i++) {
        String folded;
        try {
          folded = TermFolding.normalize(terms.get(i));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "blocklist '" + name + "': term " + (i + 1) + " cannot be matched: " + e.getMessage());
        }
        if (folded.isEmpty()) {
          throw new IllegalArgumentException("blocklist '" + name + "': term " + (i + 1) + " is empty");
        }
        distinct.add(folded);
      }
      KeywordAutomaton automaton = KeywordAutomaton.fromFolded(distinct.toArray(String[]::new));
      return new BlocklistCheck(name, action, severity, automaton);
    }
  }
}
