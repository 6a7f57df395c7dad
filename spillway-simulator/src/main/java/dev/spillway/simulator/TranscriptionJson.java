package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to a transcription or translation in its {@code response_format}: {@code json} is
 * {@code {"text":..}}, {@code verbose_json} adds {@code task}, {@code language}, {@code duration} and
 * {@code segments}; both carry {@code usage} on transcriptions (not translations, as OpenAI documents
 * them): {@code {"type":"tokens","input_tokens","input_token_details":{"text_tokens","audio_tokens"},
 * "output_tokens","total_tokens"}} for gpt-4o-transcribe models, {@code {"type":"duration","seconds"}}
 * (whole seconds, rounded up) for whisper. {@code text}, {@code srt} and {@code vtt} are plain text.
 * Pure.
 */
final class TranscriptionJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
  private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("en", "english"),
      Map.entry("fr", "french"), Map.entry("de", "german"), Map.entry("es", "spanish"), Map.entry("it", "italian"),
      Map.entry("pt", "portuguese"), Map.entry("nl", "dutch"), Map.entry("ja", "japanese"),
      Map.entry("zh", "chinese"), Map.entry("ko", "korean"), Map.entry("ru", "russian"), Map.entry("pl", "polish"));

  private TranscriptionJson() {}

  /** A body and its content type. */
  record Answer(String contentType, String body) {}

  /**
   * @param tokenModel whether usage is counted in tokens (gpt-4o-transcribe) rather than seconds (whisper)
   * @param outputTokens the transcript's tokens
   */
  static Answer answer(Operation op, TranscriptionRequest request, Transcript transcript, boolean tokenModel,
      long outputTokens) {
    switch (request.format()) {
      case "text" -> {
        return new Answer(TEXT_PLAIN, transcript.text() + "\n");
      }
      case "srt" -> {
        return new Answer(TEXT_PLAIN, transcript.srt());
      }
      case "vtt" -> {
        return new Answer(TEXT_PLAIN, transcript.vtt());
      }
      default -> { }
    }
    boolean translation = op == Operation.AUDIO_TRANSLATIONS;
    ObjectNode root = JSON.createObjectNode();
    if (request.format().equals("verbose_json")) {
      root.put("task", translation ? "translate" : "transcribe");
      String code = request.language().orElse("en").toLowerCase(Locale.ROOT);
      root.put("language", translation ? "english" : LANGUAGES.getOrDefault(code, code));
      root.put("duration", Math.round(request.seconds() * 100) / 100.0);
    }
    root.put("text", transcript.text());
    if (request.format().equals("verbose_json")) {
      ArrayNode segments = root.putArray("segments");
      for (int i = 0; i < transcript.segments().size(); i++) {
        Transcript.Segment s = transcript.segments().get(i);
        segments.addObject().put("id", i).put("seek", (long) (s.start() / 30) * 3000)
            .put("start", Math.round(s.start() * 100) / 100.0).put("end", Math.round(s.end() * 100) / 100.0)
            .put("text", s.text()).<ObjectNode>set("tokens", JSON.createArrayNode())
            .put("temperature", 0.0).put("avg_logprob", -0.25).put("compression_ratio", 1.4)
            .put("no_speech_prob", 0.01);
      }
    }
    if (!translation) {
      ObjectNode usage = root.putObject("usage");
      if (tokenModel) {
        long input = request.audioTokens() + request.promptTokens();
        usage.put("type", "tokens");
        usage.put("input_tokens", input);
        usage.putObject("input_token_details")
            .put("text_tokens", request.promptTokens())
            .put("audio_tokens", request.audioTokens());
        usage.put("output_tokens", outputTokens);
        usage.put("total_tokens", input + outputTokens);
      } else {
        usage.put("type", "duration");
        usage.put("seconds", (long) Math.ceil(request.seconds()));
      }
    }
    return new Answer(Replies.APPLICATION_JSON, root.toString());
  }
}
