package dev.spillway.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the simulated Azure OpenAI content filters make of one request: the severity of its prompt and of the completion
 * the model will write in each harm category, whether the prompt holds a jailbreak, and the threshold they are judged
 * by. Built from the trigger terms the prompt's user text contains and the {@code x-sim-content-filter} directives;
 * where several apply to a category, the highest severity wins. Immutable; pure.
 *
 * @param prompt severities of the prompt; a missing category is safe
 * @param jailbreak whether a jailbreak was detected in the prompt
 * @param completion severities of the completion; a missing category is safe
 * @param blockAt the lowest severity that is filtered
 */
record FilterVerdict(Map<FilterCategory, FilterSeverity> prompt, boolean jailbreak,
    Map<FilterCategory, FilterSeverity> completion, FilterSeverity blockAt) {

  /** Nothing found, at Azure's default threshold. */
  static final FilterVerdict SAFE = new FilterVerdict(Map.of(), false, Map.of(), FilterSeverity.MEDIUM);

  FilterVerdict {
    prompt = Collections.unmodifiableMap(copy(prompt));
    completion = Collections.unmodifiableMap(copy(completion));
  }

  /** The verdict on a prompt whose user text is {@code userText}, with the header's {@code directives}. */
  static FilterVerdict of(ContentFilterConfig config, String userText,
      List<ContentFilterHeader.Directive> directives) {
    String text = userText.toLowerCase(Locale.ROOT);
    Map<FilterCategory, FilterSeverity> prompt = new EnumMap<>(FilterCategory.class);
    Map<FilterCategory, FilterSeverity> completion = new EnumMap<>(FilterCategory.class);
    boolean jailbreak = false;
    for (TriggerTerm t : config.terms()) {
      if (t.foundIn(text)) {
        if (!t.category().rated()) {
          jailbreak = true;
        } else {
          raise(t.stage() == TriggerTerm.Stage.PROMPT ? prompt : completion, t.category(), t.severity());
        }
      }
    }
    for (ContentFilterHeader.Directive d : directives) {
      if (!d.category().rated()) {
        jailbreak = true;
      } else {
        raise(d.stage() == TriggerTerm.Stage.PROMPT ? prompt : completion, d.category(), d.severity());
      }
    }
    return new FilterVerdict(prompt, jailbreak, completion, config.blockAt());
  }

  /**
   * The severity of each harm category in {@code text} as Azure AI Content Safety rates it: by every trigger term it
   * contains, whatever its stage, and every harm directive. Categories not found are absent (safe).
   */
  static Map<FilterCategory, FilterSeverity> rate(ContentFilterConfig config, String text,
      List<ContentFilterHeader.Directive> directives) {
    String lower = text.toLowerCase(Locale.ROOT);
    Map<FilterCategory, FilterSeverity> severities = new EnumMap<>(FilterCategory.class);
    for (TriggerTerm t : config.terms()) {
      if (t.category().rated() && t.foundIn(lower)) {
        raise(severities, t.category(), t.severity());
      }
    }
    for (ContentFilterHeader.Directive d : directives) {
      if (d.category().rated()) {
        raise(severities, d.category(), d.severity());
      }
    }
    return severities;
  }

  /** Whether {@code text} holds one of the jailbreak terms. */
  static boolean attack(ContentFilterConfig config, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return config.terms().stream().anyMatch(t -> !t.category().rated() && t.foundIn(lower));
  }

  FilterSeverity prompt(FilterCategory category) {
    return prompt.getOrDefault(category, FilterSeverity.SAFE);
  }

  FilterSeverity completion(FilterCategory category) {
    return completion.getOrDefault(category, FilterSeverity.SAFE);
  }

  /** Whether the prompt is refused: a jailbreak, or a category at {@code blockAt} or above. */
  boolean promptBlocked() {
    return jailbreak || prompt.values().stream().anyMatch(s -> s.reaches(blockAt));
  }

  /** Whether the completion is cut and ends with {@code finish_reason: content_filter}. */
  boolean completionFiltered() {
    return completion.values().stream().anyMatch(s -> s.reaches(blockAt));
  }

  /** Whether the completion is rated above safe in some category (so its annotations are worth sending). */
  boolean completionFlagged() {
    return completion.values().stream().anyMatch(s -> s.reaches(FilterSeverity.LOW));
  }

  /**
   * How many of {@code tokens} output tokens a filtered completion gets out before the filter stops it: half, at least
   * one. A stream sends them; a whole answer reports them in its usage but, as Azure, returns no content.
   */
  static int filteredLength(int tokens) {
    return Math.max(1, tokens / 2);
  }

  private static void raise(Map<FilterCategory, FilterSeverity> map, FilterCategory category, FilterSeverity s) {
    map.merge(category, s, FilterSeverity::max);
  }

  private static Map<FilterCategory, FilterSeverity> copy(Map<FilterCategory, FilterSeverity> map) {
    Map<FilterCategory, FilterSeverity> copy = new EnumMap<>(FilterCategory.class);
    copy.putAll(map);
    return copy;
  }
}
