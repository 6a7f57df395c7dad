package dev.spillway.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a content filter looks for: Azure's four harm categories, rated by severity, and {@code jailbreak}, a user
 * prompt attack, which is only detected or not. The ids are Azure OpenAI's ({@code self_harm}); Azure AI Content
 * Safety spells the harm categories in Pascal case ({@code SelfHarm}).
 */
public enum FilterCategory {
  HATE("hate", "Hate"),
  JAILBREAK("jailbreak", null),
  SELF_HARM("self_harm", "SelfHarm"),
  SEXUAL("sexual", "Sexual"),
  VIOLENCE("violence", "Violence");

  /** The harm categories, in the order Azure writes them. */
  public static final List<FilterCategory> HARMS = List.of(HATE, SELF_HARM, SEXUAL, VIOLENCE);

  private final String id;
  private final String contentSafetyName;

  FilterCategory(String id, String contentSafetyName) {
    this.id = id;
    this.contentSafetyName = contentSafetyName;
  }

  /** Azure OpenAI's key for it in {@code content_filter_results}, and its name in config and headers. */
  public String id() {
    return id;
  }

  /** Whether it is rated by severity (the harm categories) rather than detected (jailbreak). */
  public boolean rated() {
    return this != JAILBREAK;
  }

  /** Its name in Azure AI Content Safety ({@code Hate}, {@code SelfHarm}, ...); only for the harm categories. */
  String contentSafetyName() {
    return contentSafetyName;
  }

  /** The category whose {@link #id()} is {@code id} (case-insensitive; {@code self-harm} too), if any. */
  public static Optional<FilterCategory> fromId(String id) {
    String key = id.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    return Arrays.stream(values()).filter(c -> c.id.equals(key)).findFirst();
  }

  /** The harm category Azure AI Content Safety calls {@code name} (case-insensitive), if any. */
  static Optional<FilterCategory> fromContentSafetyName(String name) {
    return HARMS.stream().filter(c -> c.contentSafetyName.equalsIgnoreCase(name)).findFirst();
  }

  /** Every id, for messages. */
  static List<String> ids() {
    return Arrays.stream(values()).map(FilterCategory::id).toList();
  }
}
