package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns a chat completion request into the keys the cache files its answer under. Pure: no state, no clock.
 *
 * <p><b>Exact key</b>: a SHA-256 over the tenant, the logical model and the whole body in canonical form (object keys
 * sorted, numbers by value so {@code 0} and {@code 0.0} agree), leaving out only what does not change the answer:
 * the model name as the caller wrote it (the logical model stands for it), {@code stream} and {@code stream_options}
 * (a hit is replayed in whichever shape the caller asks for), and the bookkeeping fields {@code user}, {@code
 * metadata}, {@code store}, {@code service_tier}, {@code safety_identifier}, {@code prompt_cache_key} and {@code
 * prompt_cache_retention}. Everything else (every generation parameter, tools, response format, every message) is in.
 *
 * <p><b>Semantic partition</b>: the hard filter a similar question must share before its similarity is even looked at
 * (never the prompt's own content): the tenant, the model, a hash of the generation parameters (the body without its
 * messages), a hash of the system messages (unless ignored), a hash of the turns before the last user message, and the
 * embedder's id. Only the last user message is left to similarity.
 */
public final class CacheKeys {
  /** Fields that do not change what the model answers. */
  static final Set<String> IGNORED =
      Set.of("model", "stream", "stream_options", "user", "metadata", "store", "service_tier", "safety_identifier",
          "prompt_cache_key", "prompt_cache_retention");

  private CacheKeys() {}

  /**
   * Why a request is neither looked up nor stored, or empty when it may be: its temperature (1 when it gives none, the
   * API's default) above {@code maxTemperature} asks for a fresh sample each time.
   */
  public static java.util.Optional<String> bypassReason(JsonNode body, double maxTemperature) {
    JsonNode t = body.get("temperature");
    double temperature = t != null && t.isNumber() ? t.asDouble() : 1.0;
    if (temperature > maxTemperature) {
      return java.util.Optional.of("temperature " + (t != null && t.isNumber() ? t.asText() : "not given (1)")
          + " above " + maxTemperature);
    }
    return java.util.Optional.empty();
  }

  /** The exact layer's key of {@code body}, a chat completion request, for {@code tenant} and {@code model}. */
  public static String exact(String tenant, String model, JsonNode body) {
    return exact(tenant, model, "chat", body);
  }

  /** The exact layer's key of {@code body}, a request of {@code api} ({@link AnswerShape#api}). */
  public static String exact(String tenant, String model, String api, JsonNode body) {
    Canonical c = new Canonical();
    c.text("exact").text(tenant).text(model).text(api);
    c.objectWithout(body, IGNORED);
    return c.hex();
  }

  /**
   * The semantic layer's view of {@code body}: its partition and the text to embed, or why it is not looked up.
   *
   * @param ignoreSystemMessages leave system (and developer) messages out of the partition
   * @param maxMessageCount the longest dialog looked up
   * @param embedderId the embedder whose vectors the partition holds
   */
  public static SemanticKey semantic(
      String tenant, String model, JsonNode body, boolean ignoreSystemMessages, int maxMessageCount, String embedderId) {
    return semantic(tenant, model, "chat", body, ignoreSystemMessages, maxMessageCount, embedderId);
  }

  /**
   * As {@link #semantic(String, String, JsonNode, boolean, int, String)} for {@code body}, the {@link
   * AnswerShape#semanticView semantic view} of a request of {@code api}, which is part of the partition.
   */
  public static SemanticKey semantic(String tenant, String model, String api, JsonNode body,
      boolean ignoreSystemMessages, int maxMessageCount, String embedderId) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      return SemanticKey.skip("no messages");
    }
    if (messages.size() > maxMessageCount) {
      return SemanticKey.skip("more than " + maxMessageCount + " messages");
    }
    JsonNode n = body.get("n");
    if (n != null && n.isNumber() && n.asLong() > 1) {
      return SemanticKey.skip("n > 1");
    }
    for (String f : List.of("tools", "functions", "tool_choice", "function_call", "audio", "modalities", "prediction")) {
      JsonNode v = body.get(f);
      if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
        return SemanticKey.skip(f);
      }
    }
    JsonNode last = messages.get(messages.size() - 1);
    if (!"user".equals(last.path("role").asText())) {
      return SemanticKey.skip("last message not from the user");
    }
    String question = textOf(last.get("content"));
    if (question == null || question.isBlank()) {
      return SemanticKey.skip("last message not text");
    }
    Canonical system = new Canonical();
    Canonical earlier = new Canonical();
    for (int i = 0; i < messages.size() - 1; i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText();
      if (m.has("tool_calls") || role.equals("tool") || role.equals("function")) {
        return SemanticKey.skip("tool calls in the dialog");
      }
      if (!(m.get("content") == null || m.get("content").isTextual()) && textOf(m.get("content")) == null) {
        return SemanticKey.skip("images or audio in the dialog");
      }
      if (role.equals("system") || role.equals("developer")) {
        if (!ignoreSystemMessages) {
          system.value(m);
        }
      } else {
        earlier.value(m);
      }
    }
    Canonical partition = new Canonical();
    partition.text("semantic").text(tenant).text(model).text(api).text(embedderId);
    Set<String> notParams = new java.util.HashSet<>(IGNORED);
    notParams.add("messages");
    partition.objectWithout(body, notParams);
    partition.text(system.hex()).text(earlier.hex());
    return new SemanticKey(partition.hex(), question, "");
  }

  /**
   * The text of a message's content: a string, or the joined {@code text} parts of an array of parts; null when the
   * content has any other part (an image, audio, a file).
   */
  static String textOf(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
        return null;
      }
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(part.get("text").textValue());
    }
    return sb.toString();
  }

  /**
   * The semantic layer's key: a partition and the question to embed, or {@code skipReason} when the request is not
   * looked up semantically.
   */
  public record SemanticKey(String partition, String question, String skipReason) {
    static SemanticKey skip(String why) {
      return new SemanticKey("", "", why);
    }

    public boolean skipped() {
      return !skipReason.isEmpty();
    }
  }

  /** A SHA-256 over a JSON value in canonical form: keys sorted, each token tagged and length-prefixed. */
  static final class Canonical {
    private final MessageDigest digest;

    Canonical() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    Canonical text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      digest.update((byte) 's');
      lengthOf(b.length);
      digest.update(b);
      return this;
    }

    private void lengthOf(int n) {
      digest.update((byte) (n >>> 24));
      digest.update((byte) (n >>> 16));
      digest.update((byte) (n >>> 8));
      digest.update((byte) n);
    }

    void objectWithout(JsonNode object, Set<String> without) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!without.contains(name)) {
          names.add(name);
        }
      }
      names.sort(null);
      digest.update((byte) '{');
      lengthOf(names.size());
      for (String name : names) {
        text(name);
        value(object.get(name));
      }
    }

    void value(JsonNode v) {
      switch (v.getNodeType()) {
        case OBJECT -> objectWithout(v, Set.of());
        case ARRAY -> {
          digest.update((byte) '[');
          lengthOf(v.size());
          for (JsonNode e : v) {
            value(e);
          }
        }
        case STRING -> text(v.textValue());
        case NUMBER -> {
          digest.update((byte) 'n');
          text(v.decimalValue().stripTrailingZeros().toPlainString());
        }
        case BOOLEAN -> digest.update((byte) (v.booleanValue() ? 'T' : 'F'));
        default -> digest.update((byte) '0');
      }
    }

    String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
