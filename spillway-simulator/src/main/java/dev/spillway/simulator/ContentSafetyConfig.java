package dev.spillway.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The simulated Azure AI Content Safety resource served beside the deployments ({@code /contentsafety/text:analyze}
 * and {@code /contentsafety/text:shieldPrompt}, see {@code ContentSafetyApi}). Its severities and attacks come from
 * the {@link ContentFilterConfig}'s trigger terms, so the two services agree on a text.
 *
 * @param apiKey the {@code Ocp-Apim-Subscription-Key} it requires; when empty, the simulator's {@code apiKey} if it
 *     has one, else none
 * @param latency how long an answer takes (none under {@code zeroLatency}; ten times as long under the {@code slow}
 *     fault, even under {@code zeroLatency})
 * @param faults faults it injects on its own, as a deployment's do; {@code content_filter} does not apply
 * @param blocklists text blocklists by name, each a list of items matched as case-insensitive substrings
 */
public record ContentSafetyConfig(
    Optional<String> apiKey, Duration latency, FaultConfig faults, Map<String, List<String>> blocklists) {

  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(40);
  /** Content Safety's limit on a blocklist item's text. */
  static final int MAX_ITEM_LENGTH = 128;
  private static final Pattern BLOCKLIST_NAME = Pattern.compile("[0-9A-Za-z._~-]{1,64}");

  /** No key of its own, 40 ms answers, no faults, no blocklists. */
  public static final ContentSafetyConfig DEFAULTS =
      new ContentSafetyConfig(Optional.empty(), DEFAULT_LATENCY, FaultConfig.NONE, Map.of());

  public ContentSafetyConfig {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(faults, "faults");
    if (apiKey.isPresent() && apiKey.get().isBlank()) {
      throw new IllegalArgumentException("contentSafety.apiKey must not be blank when set");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("contentSafety.latency must not be negative");
    }
    if (faults.kinds().contains(FaultKind.CONTENT_FILTER)) {
      throw new IllegalArgumentException("contentSafety.faults: content_filter does not apply to Content Safety");
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    blocklists.forEach((name, items) -> {
      if (!BLOCKLIST_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("blocklist name '" + name + "' must be 1 to 64 of 0-9 A-Z a-z - . _ ~");
      }
      for (String item : items) {
        if (item == null || item.isBlank() || item.length() > MAX_ITEM_LENGTH) {
          throw new IllegalArgumentException("blocklist " + name + ": an item must be 1 to " + MAX_ITEM_LENGTH
              + " characters");
        }
      }
      copy.put(name, List.copyOf(items));
    });
    blocklists = Collections.unmodifiableMap(copy);
  }

  public ContentSafetyConfig withApiKey(String value) {
    return new ContentSafetyConfig(Optional.of(value), latency, faults, blocklists);
  }

  public ContentSafetyConfig withLatency(Duration value) {
    return new ContentSafetyConfig(apiKey, value, faults, blocklists);
  }

  public ContentSafetyConfig withFaults(FaultConfig value) {
    return new ContentSafetyConfig(apiKey, latency, value, blocklists);
  }

  /** This config with the blocklist {@code name} holding {@code items} (replacing one of that name). */
  public ContentSafetyConfig withBlocklist(String name, String... items) {
    Map<String, List<String>> more = new LinkedHashMap<>(blocklists);
    more.put(name, List.of(items));
    return new ContentSafetyConfig(apiKey, latency, faults, more);
  }
}
