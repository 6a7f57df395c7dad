package dev.spillway.core.policies;

import dev.spillway.core.config.PolicySettingsBinder;
import dev.spillway.core.config.SettingsSection;
import java.util.OptionalLong;

/**
 * The {@code maxTokens} section of the output-token policy, at the root (the gateway's default) and under a consumer
 * (its own; each key it leaves out falls back to the gateway's):
 *
 * <pre>
 * maxTokens:
 *   default: 1024        # a request without max_tokens / max_completion_tokens gets this
 *   cap: 4096            # a request asking for more is lowered to this ...
 *   onOverCap: lower     # ... or refused with 400 (refuse)
 * </pre>
 *
 * @param defaultTokens the output limit given to requests that set none
 * @param capTokens the most a request may ask for
 * @param onOverCap what happens to a request over the cap; empty when the section does not say
 */
public record MaxTokensSettings(OptionalLong defaultTokens, OptionalLong capTokens, java.util.Optional<OverCap> onOverCap) {
  /** What happens to a request that asks for more than the cap. */
  public enum OverCap {
    /** The request's limit is lowered to the cap. */
    LOWER,
    /** The request is refused with 400. */
    REFUSE
  }

  public static final MaxTokensSettings NONE =
      new MaxTokensSettings(OptionalLong.empty(), OptionalLong.empty(), java.util.Optional.empty());

  /** These settings, with each key they leave out taken from {@code fallback}. */
  public MaxTokensSettings orElse(MaxTokensSettings fallback) {
    return new MaxTokensSettings(
        defaultTokens.isPresent() ? defaultTokens : fallback.defaultTokens,
        capTokens.isPresent() ? capTokens : fallback.capTokens,
        onOverCap.isPresent() ? onOverCap : fallback.onOverCap);
  }

  /** The limit for a request without one: the default, lowered to the cap when the cap is smaller. */
  public OptionalLong effectiveDefault() {
    if (defaultTokens.isEmpty()) {
      return OptionalLong.empty();
    }
    long d = defaultTokens.getAsLong();
    return OptionalLong.of(capTokens.isPresent() ? Math.min(d, capTokens.getAsLong()) : d);
  }

  /** Binds {@code maxTokens}; registered in {@code META-INF/services}. */
  public static final class Binder implements PolicySettingsBinder {
    private static final long MOST = 10_000_000L;

    @Override
    public String key() {
      return "maxTokens";
    }

    @Override
    public Object bind(SettingsSection section) {
      section.allowKeys("default", "cap", "onOverCap");
      OptionalLong defaultTokens = toOptional(section.wholeNumber("default", 1, MOST));
      OptionalLong cap = toOptional(section.wholeNumber("cap", 1, MOST));
      java.util.Optional<OverCap> onOverCap =
          section.oneOf("onOverCap", "lower", "refuse").map(v -> v.equals("refuse") ? OverCap.REFUSE : OverCap.LOWER);
      if (defaultTokens.isPresent() && cap.isPresent() && defaultTokens.getAsLong() > cap.getAsLong()) {
        section.problem("default", "must not exceed cap (" + cap.getAsLong() + "), got " + defaultTokens.getAsLong());
      }
      return section.clean() ? new MaxTokensSettings(defaultTokens, cap, onOverCap) : null;
    }

    private static OptionalLong toOptional(java.util.Optional<Long> n) {
      return n.map(OptionalLong::of).orElse(OptionalLong.empty());
    }
  }
}
