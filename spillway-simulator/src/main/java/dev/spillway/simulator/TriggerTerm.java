package dev.spillway.simulator;

import java.util.Locale;
import java.util.Objects;

/**
 * A phrase that makes the simulated content filters see harm: when the user text of a prompt contains it (ignoring
 * case), its category is rated at its severity, or, for {@code jailbreak}, an attack is detected. A term {@link
 * Stage#PROMPT on the prompt} rates the prompt itself (the request may be refused with {@code 400}); a term {@link
 * Stage#COMPLETION on the completion} leaves the prompt alone and rates the answer the model writes (which may then end
 * with {@code finish_reason: content_filter}). Azure AI Content Safety rates a text with every term it contains,
 * whatever its stage.
 *
 * @param category the category it rates
 * @param term the phrase, matched as a case-insensitive substring
 * @param severity its severity (ignored for jailbreak, which is only detected)
 * @param stage what it rates: the prompt or the completion; a jailbreak rates the prompt only
 */
public record TriggerTerm(FilterCategory category, String term, FilterSeverity severity, Stage stage) {

  /** Which text of an exchange a term rates. */
  public enum Stage {
    PROMPT,
    COMPLETION
  }

  public TriggerTerm {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(stage, "stage");
    if (term == null || term.isBlank()) {
      throw new IllegalArgumentException("a trigger term must not be blank");
    }
    if (category == FilterCategory.JAILBREAK && stage != Stage.PROMPT) {
      throw new IllegalArgumentException("a jailbreak term rates the prompt only");
    }
  }

  /** A term that rates prompts of {@code category} at {@code severity}. */
  public static TriggerTerm prompt(FilterCategory category, String term, FilterSeverity severity) {
    return new TriggerTerm(category, term, severity, Stage.PROMPT);
  }

  /** A term whose prompts get a completion of {@code category} at {@code severity}. */
  public static TriggerTerm completion(FilterCategory category, String term, FilterSeverity severity) {
    return new TriggerTerm(category, term, severity, Stage.COMPLETION);
  }

  /** A jailbreak phrase: a prompt containing it is an attack. */
  public static TriggerTerm jailbreak(String term) {
    return new TriggerTerm(FilterCategory.JAILBREAK, term, FilterSeverity.HIGH, Stage.PROMPT);
  }

  /** Whether {@code lowerCaseText} (already lower-cased with {@link Locale#ROOT}) contains this term. */
  boolean foundIn(String lowerCaseText) {
    return lowerCaseText.contains(term.toLowerCase(Locale.ROOT));
  }
}
