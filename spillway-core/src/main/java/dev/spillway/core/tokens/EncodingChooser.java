package dev.spillway.core.tokens;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the BPE vocabulary a model tokenizes with, so that estimates count what the backend will
 * count. The families follow tiktoken's {@code model_to_encoding} table; a logical model name the
 * table cannot know (an Azure deployment alias, a fine-tune) is pinned through the overrides.
 */
public final class EncodingChooser {
  /** Used for any model the family rules do not recognise: every current OpenAI model is o200k. */
  public static final EncodingType DEFAULT = EncodingType.O200K_BASE;

  private EncodingChooser() {}

  /**
   * The encoding for {@code model}.
   *
   * <ul>
   *   <li>An entry of {@code overrides} (logical model name, matched exactly, to an encoding name
   *       such as {@code o200k_base} or {@code cl100k_base}) wins.
   *   <li>{@code o200k_base}: {@code gpt-4o*}, {@code chatgpt-4o*}, {@code gpt-4.1*}, {@code
   *       gpt-4.5*}, {@code gpt-5*}, {@code o1*}, {@code o3*}, {@code o4*}.
   *   <li>{@code cl100k_base}: the other {@code gpt-4*}, {@code gpt-3.5*} (Azure spells it {@code
   *       gpt-35*}), {@code text-embedding-3*}, {@code text-embedding-ada-002}, {@code davinci-002},
   *       {@code babbage-002}.
   *   <li>Anything else, {@code null} included: {@link #DEFAULT}.
   * </ul>
   *
   * <p>A provider prefix ({@code openai/gpt-4o}) and letter case are ignored by the family rules.
   *
   * @throws IllegalArgumentException when the override for {@code model} names no known encoding
   *     (validate overrides at config load with {@link #parseEncoding})
   */
  public static EncodingType forModel(String model, Map<String, String> overrides) {
    if (model != null && overrides != null) {
      String override = overrides.get(model);
      if (override != null) {
        return parseEncoding(override, model);
      }
    }
    return byFamily(model);
  }

  /**
   * Reads an encoding name ({@code o200k_base}, {@code cl100k_base}, ...).
   *
   * @param forModel the model the name was configured for, quoted in the error message
   * @throws IllegalArgumentException naming the model and the bad value
   */
  public static EncodingType parseEncoding(String encodingName, String forModel) {
    return EncodingType.fromName(encodingName.trim().toLowerCase(Locale.ROOT))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown token encoding '" + encodingName + "' for model '" + forModel
                        + "': expected o200k_base or cl100k_base"));
  }

  static EncodingType byFamily(String model) {
    if (model == null) {
      return DEFAULT;
    }
    String m = model.trim().toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    if (m.startsWith("gpt-4o")
        || m.startsWith("chatgpt-4o")
        || m.startsWith("gpt-4.1")
        || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5")
        || isOSeries(m)) {
      return EncodingType.O200K_BASE;
    }
    if (m.startsWith("gpt-4")
        || m.startsWith("gpt-3.5")
        || m.startsWith("gpt-35")
        || m.startsWith("text-embedding-3")
        || m.startsWith("text-embedding-ada-002")
        || m.startsWith("davinci-002")
        || m.startsWith("babbage-002")) {
      return EncodingType.CL100K_BASE;
    }
    return DEFAULT;
  }

  /** {@code o1}, {@code o3-mini}, {@code o4-mini-2025-04-16}, but not {@code o10k-bot}. */
  private static boolean isOSeries(String m) {
    return m.length() >= 2
        && m.charAt(0) == 'o'
        && (m.charAt(1) == '1' || m.charAt(1) == '3' || m.charAt(1) == '4')
        && (m.length() == 2 || m.charAt(2) == '-');
  }
}
