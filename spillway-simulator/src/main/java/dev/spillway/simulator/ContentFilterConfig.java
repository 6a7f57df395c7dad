package dev.spillway.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The simulated Azure OpenAI content filters of every chat deployment (chat completions, completions and the Responses
 * API), and the trigger terms that Azure AI Content Safety rates texts by too. Nothing is really classified: a prompt
 * is rated by the {@link TriggerTerm}s its user text contains, and by the request header {@code x-sim-content-filter}
 * (see {@code ContentFilterHeader}); with no terms and no header everything is {@code safe}, as before.
 *
 * <p>A prompt rated at {@code blockAt} or above in any category, or holding a jailbreak, is refused with Azure's
 * {@code 400 content_filter}; one rated below it is answered, its severities reported in {@code
 * prompt_filter_results}. A completion rated at {@code blockAt} or above ends with {@code finish_reason:
 * content_filter}. Azure lets a deployment set the threshold per category and per side; one threshold is enough here.
 *
 * @param blockAt the lowest severity that is filtered: low, medium (Azure's default) or high
 * @param terms the trigger terms, in config order
 */
public record ContentFilterConfig(FilterSeverity blockAt, List<TriggerTerm> terms) {

  /** No trigger terms; filtering at medium, driven by the header alone. */
  public static final ContentFilterConfig NONE = new ContentFilterConfig(FilterSeverity.MEDIUM, List.of());

  public ContentFilterConfig {
    Objects.requireNonNull(blockAt, "blockAt");
    if (!blockAt.reaches(FilterSeverity.LOW)) {
      throw new IllegalArgumentException("contentFilter.blockAt must be low, medium or high, got " + blockAt.label());
    }
    terms = List.copyOf(terms);
  }

  /** Filtering at medium with {@code terms}. */
  public static ContentFilterConfig of(TriggerTerm... terms) {
    return new ContentFilterConfig(FilterSeverity.MEDIUM, List.of(terms));
  }

  public ContentFilterConfig withBlockAt(FilterSeverity value) {
    return new ContentFilterConfig(value, terms);
  }

  /** This config with {@code more} terms after its own. */
  public ContentFilterConfig withTerms(TriggerTerm... more) {
    List<TriggerTerm> all = new ArrayList<>(terms);
    all.addAll(List.of(more));
    return new ContentFilterConfig(blockAt, all);
  }
}
