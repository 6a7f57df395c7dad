package dev.spillway.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.spillway.core.api.Operation;
import java.util.HashMap;
import java.util.Map;

/**
 * Estimates the tokens a request will consume before it is sent, so that limits can reserve them
 * at admission and reconcile with the reported usage afterwards (DESIGN.md §4).
 *
 * <p>Prompt tokens are counted with jtokkit in the model's vocabulary ({@link EncodingChooser}):
 * chat by the cookbook message rule ({@link ChatMessageTokens}), images by the vision tile rule
 * ({@link ImageTokens}), tool definitions by the cookbook approximation ({@link
 * FunctionDefinitionTokens}); completions prompts and embeddings inputs as the sum of their
 * strings' tokens, token arrays by their length. Special-token text such as {@code <|endoftext|>}
 * is counted as plain text, as the API treats user text.
 *
 * <p>Thread-safe and allocation-light. The vocabularies (o200k ~ 200k entries) are loaded once per
 * JVM ({@link Vocabularies}), on first use; loading takes a few hundred milliseconds, so call {@link
 * #warmUp(java.util.Collection)} off the event loop, and count on a worker while {@link #vocabularyLoaded(String)} is
 * false. After that a 100k-token prompt counts in tens of milliseconds.
 *
 * <p>Estimation never throws on client input: a malformed body counts what it can read, and the
 * backend gets to reject it.
 */
public final class TokenEstimator {
  private final Map<String, EncodingType> encodingOverrides;
  private final Vocabularies vocabularies;

  private TokenEstimator(Map<String, EncodingType> encodingOverrides, Vocabularies vocabularies) {
    this.encodingOverrides = encodingOverrides;
    this.vocabularies = vocabularies;
  }

  /** An estimator that picks encodings by model family only, with the JVM's {@link Vocabularies#shared() shared} vocabularies. */
  public static TokenEstimator byModelFamily() {
    return byModelFamily(Vocabularies.shared());
  }

  /** An estimator that picks encodings by model family only and reads them from {@code vocabularies}. */
  public static TokenEstimator byModelFamily(Vocabularies vocabularies) {
    return new TokenEstimator(Map.of(), vocabularies);
  }

  /**
   * An estimator with per-model encodings: logical model name (exact) to {@code o200k_base} or
   * {@code cl100k_base}.
   *
   * @throws IllegalArgumentException naming the model whose encoding is unknown
   */
  public static TokenEstimator withEncodingOverrides(Map<String, String> encodingByModel) {
    Map<String, EncodingType> parsed = new HashMap<>();
    encodingByModel.forEach((model, name) -> parsed.put(model, EncodingChooser.parseEncoding(name, model)));
    return new TokenEstimator(Map.copyOf(parsed), Vocabularies.shared());
  }

  /**
   * Loads now the vocabularies that {@code models} are counted with, and only those (a gateway of GPT-4o-family models
   * need not spend its start-up on cl100k: loading a vocabulary is most of a gateway's start-up work after the JVM's
   * own). A vocabulary another model needs later loads on its first use.
   *
   * @return the encodings loaded
   */
  public java.util.Set<EncodingType> warmUp(java.util.Collection<String> models) {
    java.util.Set<EncodingType> types = java.util.EnumSet.noneOf(EncodingType.class);
    models.forEach(model -> types.add(encodingType(model)));
    if (types.isEmpty()) {
      types.add(EncodingChooser.byFamily(null));
    }
    types.forEach(vocabularies::get);
    return types;
  }

  /**
   * Whether {@code model}'s vocabulary is loaded, so that counting with it cannot wait for a load; an event-loop caller
   * that sees {@code false} counts on a worker thread instead (a load takes a few hundred milliseconds).
   */
  public boolean vocabularyLoaded(String model) {
    return vocabularies.isLoaded(encodingType(model));
  }

  /**
   * Estimated prompt tokens of a request body ({@code usage.prompt_tokens} to be).
   *
   * @param operation {@code CHAT_COMPLETIONS}, {@code COMPLETIONS}, {@code EMBEDDINGS}, {@code RESPONSES}, {@code
   *     IMAGES_GENERATIONS} (its prompt), {@code AUDIO_SPEECH} (its input text) or {@code MODERATIONS}; any other
   *     operation consumes no tokens and gives 0
   * @param body the parsed JSON request body; {@code null} or a non-object gives 0
   * @param model the logical model name, choosing the encoding (and the image rates)
   */
  public long promptTokens(Operation operation, JsonNode body, String model) {
    if (body == null || !body.isObject()) {
      return 0;
    }
    EncodingType type = encodingType(model);
    return switch (operation) {
      case CHAT_COMPLETIONS -> {
        Encoding encoding = vocabularies.get(type);
        yield ChatMessageTokens.count(body.get("messages"), encoding, ImageTokens.ratesFor(model))
            + FunctionDefinitionTokens.count(body.get("tools"), body.get("functions"), encoding, type);
      }
      case COMPLETIONS -> {
        Encoding encoding = vocabularies.get(type);
        yield inputTokens(body.get("prompt"), encoding, 0) + inputTokens(body.get("suffix"), encoding, 0);
      }
      case EMBEDDINGS -> inputTokens(body.get("input"), vocabularies.get(type), 0);
      case RESPONSES -> responsesPrompt(body, vocabularies.get(type), ImageTokens.ratesFor(model));
      case IMAGES_GENERATIONS -> textTokens(body.get("prompt"), vocabularies.get(type));
      case AUDIO_SPEECH -> textTokens(body.get("input"), vocabularies.get(type));
      case MODERATIONS -> inputTokens(body.get("input"), vocabularies.get(type), 0);
      default -> 0;
    };
  }

  /**
   * A Responses API request: {@code instructions}, then {@code input} — a string, or an array of items read as chat
   * messages ({@link ChatMessageTokens}) — and its {@code tools} by the length of their JSON (an approximation: their
   * rendering is not documented). A {@code previous_response_id}'s conversation is not counted: the gateway does not
   * hold it; the backend's usage settles the difference.
   */
  private static long responsesPrompt(JsonNode body, Encoding encoding, ImageTokens.Rates rates) {
    long total = textTokens(body.get("instructions"), encoding);
    JsonNode input = body.get("input");
    if (input != null && input.isTextual()) {
      total += ChatMessageTokens.TOKENS_PER_MESSAGE + ChatMessageTokens.REPLY_PRIMING + textTokens(input, encoding);
    } else {
      total += ChatMessageTokens.count(input, encoding, rates);
    }
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      total += encoding.countTokensOrdinary(tools.toString());
    }
    return total;
  }

  private static long textTokens(JsonNode node, Encoding encoding) {
    return node != null && node.isTextual() ? encoding.countTokensOrdinary(node.textValue()) : 0;
  }

  /** Tokens of plain text in {@code model}'s encoding, special-token text counted as text. */
  public int countText(String text, String model) {
    return text == null || text.isEmpty() ? 0 : vocabularies.get(encodingType(model)).countTokensOrdinary(text);
  }

  /**
   * The ids of the first {@code count} tokens of {@code text} in {@code model}'s encoding (fewer when the text is
   * shorter), special-token text encoded as text. The work stops at {@code count} tokens, however long the text.
   */
  public int[] firstTokens(String text, String model, int count) {
    if (text == null || text.isEmpty() || count <= 0) {
      return new int[0];
    }
    return vocabularies.get(encodingType(model)).encodeOrdinary(text, count).getTokens().toArray();
  }

  /** The encoding this estimator uses for {@code model}. */
  public EncodingType encodingType(String model) {
    EncodingType pinned = model == null ? null : encodingOverrides.get(model);
    return pinned != null ? pinned : EncodingChooser.byFamily(model);
  }

  /**
   * The completion tokens to reserve for a request: {@code max_completion_tokens}, else {@code
   * max_tokens}, else {@code defaultMaxTokens}, times the number of generated choices ({@code n},
   * or {@code best_of} when larger, for completions). 0 for an embeddings body (one with {@code
   * input} and neither {@code messages} nor {@code prompt}).
   */
  public long expectedOutputTokens(JsonNode body, long defaultMaxTokens) {
    if (body == null || !body.isObject()) {
      return defaultMaxTokens;
    }
    if (body.has("input") && !body.has("messages") && !body.has("prompt")) {
      return 0;
    }
    long maxTokens = nonNegative(body.get("max_completion_tokens"));
    if (maxTokens < 0) {
      maxTokens = nonNegative(body.get("max_tokens"));
    }
    if (maxTokens < 0) {
      maxTokens = defaultMaxTokens;
    }
    long choices = Math.max(1, Math.max(nonNegative(body.get("n")), nonNegative(body.get("best_of"))));
    return saturatingMultiply(maxTokens, choices);
  }

  /** As {@link #expectedOutputTokens(JsonNode, long)}, 0 for operations that generate nothing. */
  public long expectedOutputTokens(Operation operation, JsonNode body, long defaultMaxTokens) {
    if (operation == Operation.RESPONSES) {
      long max = body == null ? -1 : nonNegative(body.get("max_output_tokens"));
      return max >= 0 ? max : defaultMaxTokens;
    }
    return operation == Operation.CHAT_COMPLETIONS || operation == Operation.COMPLETIONS
        ? expectedOutputTokens(body, defaultMaxTokens)
        : 0;
  }

  /**
   * A completions prompt or embeddings input: a string, a token (a number, 1), or an array of
   * those or of token arrays. Nesting deeper than that is not an input and counts 0.
   */
  private static long inputTokens(JsonNode input, Encoding encoding, int depth) {
    if (input == null) {
      return 0;
    }
    if (input.isTextual()) {
      return encoding.countTokensOrdinary(input.textValue());
    }
    if (input.isNumber()) {
      return 1;
    }
    if (input.isArray() && depth < 2) {
      long total = 0;
      for (JsonNode item : input) {
        total += inputTokens(item, encoding, depth + 1);
      }
      return total;
    }
    return 0;
  }

  /** The value when a non-negative whole number, else -1. */
  private static long nonNegative(JsonNode node) {
    if (node == null || !node.isNumber() || !node.canConvertToLong()) {
      return -1;
    }
    if (!node.isIntegralNumber() && node.asDouble() != Math.rint(node.asDouble())) {
      return -1;
    }
    long value = node.asLong();
    return value >= 0 ? value : -1;
  }

  private static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }
}
