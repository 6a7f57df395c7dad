package dev.spillway.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request header {@code x-sim-content-filter}, which tells the simulated content filters what to see in a request
 * regardless of its text: entries separated by commas or semicolons, each {@code <stage>=<category>[:<severity>]}.
 * {@code stage} is {@code prompt} or {@code completion}; {@code category} is {@code hate}, {@code sexual}, {@code
 * violence}, {@code self_harm} or, for a prompt only and without a severity, {@code jailbreak}; {@code severity} is
 * {@code safe|low|medium|high} or a level {@code 0}..{@code 7}, {@code high} when left out. For example {@code
 * prompt=violence:high}, {@code completion=hate:medium}, {@code prompt=sexual:low, prompt=jailbreak}. A malformed
 * header is refused with {@code 400}, as an unknown {@code x-sim-fault} is. Pure.
 */
final class ContentFilterHeader {
  static final String NAME = "x-sim-content-filter";

  /** What one entry asks for. */
  record Directive(TriggerTerm.Stage stage, FilterCategory category, FilterSeverity severity) {}

  private ContentFilterHeader() {}

  /** The entries of {@code value} (none for null); throws {@link InvalidRequestException} for a malformed one. */
  static List<Directive> parse(String value) {
    List<Directive> directives = new ArrayList<>();
    if (value == null) {
      return directives;
    }
    for (String entry : value.split("[,;]")) {
      if (!entry.isBlank()) {
        directives.add(entry(entry.strip()));
      }
    }
    return directives;
  }

  private static Directive entry(String entry) {
    int eq = entry.indexOf('=');
    if (eq < 0) {
      throw malformed(entry);
    }
    String stageText = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
    TriggerTerm.Stage stage = switch (stageText) {
      case "prompt" -> TriggerTerm.Stage.PROMPT;
      case "completion" -> TriggerTerm.Stage.COMPLETION;
      default -> throw malformed(entry);
    };
    String rest = entry.substring(eq + 1);
    int colon = rest.indexOf(':');
    FilterCategory category = FilterCategory.fromId(colon < 0 ? rest : rest.substring(0, colon))
        .orElseThrow(() -> malformed(entry));
    FilterSeverity severity = colon < 0 ? FilterSeverity.HIGH
        : FilterSeverity.parse(rest.substring(colon + 1)).orElseThrow(() -> malformed(entry));
    if (!category.rated() && (stage != TriggerTerm.Stage.PROMPT || colon >= 0)) {
      throw malformed(entry);
    }
    return new Directive(stage, category, severity);
  }

  private static InvalidRequestException malformed(String entry) {
    return new InvalidRequestException("Malformed " + NAME + " entry '" + entry + "'; expected "
        + "<prompt|completion>=<category>[:<safe|low|medium|high|0-7>] with a category among "
        + FilterCategory.ids() + " (jailbreak: prompt only, no severity).", null);
  }
}
