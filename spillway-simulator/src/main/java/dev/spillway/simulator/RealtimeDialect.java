package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The two versions of the Realtime protocol, which differ in a few event names and session fields.
 * {@link #GA} is OpenAI's generally available API (and Azure's {@code /openai/v1/realtime}); {@link
 * #BETA} is the earlier preview that Azure's {@code /openai/realtime?api-version=} still serves and
 * OpenAI serves to clients sending {@code OpenAI-Beta: realtime=v1}. Client events are read leniently
 * in both: either name of the output-token limit is accepted.
 */
enum RealtimeDialect {
  /**
   * The preview protocol: {@code response.text.delta}/{@code .done}, {@code conversation.item.created},
   * {@code text} content parts, and a flat session ({@code modalities}, {@code input_audio_format}, ...).
   */
  BETA("response.text.delta", "response.text.done", "conversation.item.created", null,
      "text", "modalities", "max_response_output_tokens"),
  /**
   * The GA protocol: {@code response.output_text.delta}/{@code .done}, {@code conversation.item.added}
   * then {@code conversation.item.done}, {@code output_text} content parts, and a session of {@code
   * type} {@code realtime} with {@code output_modalities} and nested {@code audio} settings.
   */
  GA("response.output_text.delta", "response.output_text.done", "conversation.item.added", "conversation.item.done",
      "output_text", "output_modalities", "max_output_tokens");

  private static final ObjectMapper JSON = new ObjectMapper();
  /** pcm16 at 24 kHz mono, the Realtime API's default input format. */
  static final long PCM16_BYTES_PER_SECOND = 48_000;
  /** G.711 mu-law or A-law at 8 kHz. */
  static final long G711_BYTES_PER_SECOND = 8_000;

  private final String textDelta;
  private final String textDone;
  private final String itemAdded;
  private final String itemDone;
  private final String outputTextPart;
  private final String modalitiesField;
  private final String maxOutputTokensField;

  RealtimeDialect(String textDelta, String textDone, String itemAdded, String itemDone, String outputTextPart,
      String modalitiesField, String maxOutputTokensField) {
    this.textDelta = textDelta;
    this.textDone = textDone;
    this.itemAdded = itemAdded;
    this.itemDone = itemDone;
    this.outputTextPart = outputTextPart;
    this.modalitiesField = modalitiesField;
    this.maxOutputTokensField = maxOutputTokensField;
  }

  /** The event carrying one piece of output text. */
  String textDelta() {
    return textDelta;
  }

  /** The event carrying the whole output text once it is complete. */
  String textDone() {
    return textDone;
  }

  /** The event announcing an item added to the conversation. */
  String itemAdded() {
    return itemAdded;
  }

  /** The event announcing that an added item is complete; GA only. */
  Optional<String> itemDone() {
    return Optional.ofNullable(itemDone);
  }

  /** The content part type of an assistant's text. */
  String outputTextPart() {
    return outputTextPart;
  }

  /** The session's and response's field listing the output modalities. */
  String modalitiesField() {
    return modalitiesField;
  }

  /** The session's field capping a response's output tokens (an integer or {@code "inf"}). */
  String maxOutputTokensField() {
    return maxOutputTokensField;
  }

  /**
   * The session {@code session.created} announces: OpenAI's defaults, except that turn detection is
   * off (the simulator detects no speech, so the client commits audio and asks for responses itself).
   */
  ObjectNode defaultSession(String id, String model, long expiresAt) {
    ObjectNode s = JSON.createObjectNode();
    if (this == GA) {
      s.put("type", "realtime");
    }
    s.put("object", "realtime.session").put("id", id).put("model", model).put("expires_at", expiresAt);
    if (this == GA) {
      s.putArray("output_modalities").add("audio");
      s.put("instructions", "");
      ObjectNode audio = s.putObject("audio");
      ObjectNode input = audio.putObject("input");
      input.putObject("format").put("type", "audio/pcm").put("rate", 24_000);
      input.putNull("transcription");
      input.putNull("noise_reduction");
      input.putNull("turn_detection");
      ObjectNode output = audio.putObject("output");
      output.putObject("format").put("type", "audio/pcm").put("rate", 24_000);
      output.put("voice", "alloy").put("speed", 1.0);
      s.putArray("tools");
      s.put("tool_choice", "auto");
      s.put("max_output_tokens", "inf");
      s.put("truncation", "auto");
      s.putNull("tracing");
      s.putNull("prompt");
    } else {
      s.putArray("modalities").add("text").add("audio");
      s.put("instructions", "");
      s.put("voice", "alloy");
      s.put("input_audio_format", "pcm16");
      s.put("output_audio_format", "pcm16");
      s.putNull("input_audio_transcription");
      s.putNull("turn_detection");
      s.putArray("tools");
      s.put("tool_choice", "auto");
      s.put("temperature", 0.8);
      s.put("max_response_output_tokens", "inf");
    }
    return s;
  }

  /**
   * Bytes per second of the input audio format {@code session} names: G.711 (8 kHz, one byte a
   * sample) or pcm16 (two bytes a sample, at the GA format's {@code rate}, else 24 kHz).
   */
  long inputAudioBytesPerSecond(ObjectNode session) {
    if (this == BETA) {
      String format = session.path("input_audio_format").asText("pcm16");
      return format.startsWith("g711") ? G711_BYTES_PER_SECOND : PCM16_BYTES_PER_SECOND;
    }
    JsonNode format = session.path("audio").path("input").path("format");
    String type = format.path("type").asText("audio/pcm");
    if (type.equals("audio/pcmu") || type.equals("audio/pcma")) {
      return G711_BYTES_PER_SECOND;
    }
    long rate = format.path("rate").asLong(24_000);
    return rate > 0 ? rate * 2 : PCM16_BYTES_PER_SECOND;
  }
}
