package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The items of one Realtime session's conversation, and what a response reads of them.
 *
 * <p>A response's input tokens are the whole conversation so far, counted as chat counts a prompt
 * (see {@link CompletionRequest}): {@value TokenCounter#TOKENS_PER_REPLY_PRIMER} for the reply, the
 * instructions as one message, and each item as one message ({@value TokenCounter#TOKENS_PER_MESSAGE}
 * plus the {@code o200k_base} tokens of its text); audio counts {@value #AUDIO_TOKENS_PER_SECOND}
 * tokens a second of sound, rounded up. So each turn re-reads every earlier turn, its output
 * included, as the Realtime API bills it.
 *
 * <p>Not thread-safe; confined to its session's event loop.
 */
final class RealtimeConversation {
  /** Audio input tokens per second of sound: one per 100 ms, as OpenAI counts user audio. */
  static final int AUDIO_TOKENS_PER_SECOND = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");

  /**
   * One conversation item.
   *
   * @param json the item as the server shows it (with its id, without audio bytes). Not to be changed.
   * @param textTokens tokens of its text, without the per-message overhead
   * @param audioTokens tokens of its audio
   */
  record Item(String id, ObjectNode json, long textTokens, long audioTokens) {}

  /** Input tokens of a response, split as {@code input_token_details} reports them. */
  record InputTokens(long text, long audio) {
    long total() {
      return text + audio;
    }
  }

  private final List<Item> items = new ArrayList<>();

  /** The id of the newest item, for {@code previous_item_id}; empty when there is none. */
  Optional<String> lastId() {
    return items.isEmpty() ? Optional.empty() : Optional.of(items.getLast().id());
  }

  void add(Item item) {
    items.add(item);
  }

  /** The input tokens of a response given {@code instructions} (empty: none) over the items so far. */
  InputTokens inputTokens(String instructions) {
    long text = TokenCounter.TOKENS_PER_REPLY_PRIMER;
    if (!instructions.isEmpty()) {
      text += TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.count(instructions);
    }
    long audio = 0;
    for (Item item : items) {
      text += TokenCounter.TOKENS_PER_MESSAGE + item.textTokens();
      audio += item.audioTokens();
    }
    return new InputTokens(text, audio);
  }

  /**
   * A seed for the next response's text: the simulator seed, the instructions and the items' content
   * (not their ids), so that the same conversation always gets the same answer.
   */
  long seed(long simulatorSeed, String instructions) {
    StringBuilder key = new StringBuilder(instructions);
    for (Item item : items) {
      ObjectNode content = item.json().deepCopy();
      content.remove("id");
      key.append('\n').append(content).append(' ').append(item.audioTokens());
    }
    return RequestSeed.of(simulatorSeed, key.toString());
  }

  /** Tokens of {@code bytes} of audio at {@code bytesPerSecond}, rounded up. */
  static long audioTokens(long bytes, long bytesPerSecond) {
    return (bytes * AUDIO_TOKENS_PER_SECOND + bytesPerSecond - 1) / bytesPerSecond;
  }

  /** The byte length of base64 {@code audio}; refused when it is not base64. */
  static long audioBytes(String audio, String param) {
    try {
      return Base64.getDecoder().decode(audio).length;
    } catch (IllegalArgumentException e) {
      throw new RealtimeEventException("invalid_value", "Invalid '" + param + "': expected base64-encoded audio bytes.",
          param);
    }
  }

  /** The user message that committing {@code bytes} of buffered audio at {@code bytesPerSecond} adds, as {@code id}. */
  static Item committedAudio(String id, long bytes, long bytesPerSecond) {
    ObjectNode item = JSON.createObjectNode();
    item.put("id", id).put("object", "realtime.item").put("type", "message").put("status", "completed");
    item.put("role", "user");
    item.putArray("content").addObject().put("type", "input_audio").putNull("transcript");
    return new Item(id, item, 0, audioTokens(bytes, bytesPerSecond));
  }

  /**
   * The item a client's {@code conversation.item.create} adds, as {@code id}: a message (text or audio
   * parts), a function call or a function call's output. Audio is counted, then left out of the echo.
   */
  static Item clientItem(JsonNode item, String id, long audioBytesPerSecond) {
    if (item == null || !item.isObject()) {
      throw new RealtimeEventException("missing_required_parameter", "Missing required parameter: 'item'.", "item");
    }
    String type = item.path("type").asText("message");
    ObjectNode echo = JSON.createObjectNode();
    echo.put("id", id).put("object", "realtime.item").put("type", type).put("status", "completed");
    long text = 0;
    long audio = 0;
    switch (type) {
      case "message" -> {
        String role = item.path("role").asText("");
        if (!ROLES.contains(role)) {
          throw new RealtimeEventException("invalid_value", "Invalid value: '" + role
              + "'. Supported values are: 'user', 'assistant' and 'system'.", "item.role");
        }
        echo.put("role", role);
        JsonNode content = item.get("content");
        if (content == null || !content.isArray()) {
          throw new RealtimeEventException("missing_required_parameter",
              "Missing required parameter: 'item.content'.", "item.content");
        }
        ArrayNode parts = echo.putArray("content");
        for (int i = 0; i < content.size(); i++) {
          String where = "item.content[" + i + "]";
          JsonNode part = content.get(i);
          String partType = part.path("type").asText("");
          switch (partType) {
            case "input_text", "text", "output_text" -> {
              text += TokenCounter.count(requiredText(part, "text", where));
              parts.add(part.deepCopy());
            }
            case "input_audio", "audio", "output_audio" -> {
              ObjectNode shown = parts.addObject().put("type", partType);
              JsonNode transcript = part.get("transcript");
              shown.set("transcript", transcript != null && transcript.isTextual() ? transcript : JSON.nullNode());
              if (part.path("audio").isTextual()) {
                audio += audioTokens(audioBytes(part.get("audio").asText(), where + ".audio"), audioBytesPerSecond);
              } else if (transcript != null && transcript.isTextual()) {
                text += TokenCounter.count(transcript.asText());
              }
            }
            default -> throw new RealtimeEventException("invalid_value", "Invalid value: '" + partType
                + "'. Supported values are: 'input_text', 'input_audio', 'text', 'output_text', 'audio' and "
                + "'output_audio'.", where + ".type");
          }
        }
      }
      case "function_call" -> {
        text += TokenCounter.count(requiredText(item, "name", "item")) + TokenCounter.count(item.path("arguments").asText(""));
        copyFields(item, echo, "call_id", "name", "arguments");
      }
      case "function_call_output" -> {
        text += TokenCounter.count(requiredText(item, "output", "item"));
        copyFields(item, echo, "call_id", "output");
      }
      default -> throw new RealtimeEventException("invalid_value", "Invalid value: '" + type
          + "'. Supported values are: 'message', 'function_call' and 'function_call_output'.", "item.type");
    }
    return new Item(id, echo, text, audio);
  }

  private static String requiredText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new RealtimeEventException("missing_required_parameter",
          "Missing required parameter: '" + where + "." + field + "'.", where + "." + field);
    }
    return value.asText();
  }

  private static void copyFields(JsonNode from, ObjectNode to, String... fields) {
    for (String f : fields) {
      if (from.has(f)) {
        to.set(f, from.get(f).deepCopy());
      }
    }
  }
}
