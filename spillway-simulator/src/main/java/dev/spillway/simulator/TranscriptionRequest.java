package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The facts the simulator needs from a transcription or translation form, and what it costs: {@value
 * #AUDIO_TOKENS_PER_SECOND} audio tokens per second of audio (rounded up, as gpt-4o-transcribe
 * counts audio) plus the {@code prompt}'s tokens as input, the transcript's tokens as output. Whisper
 * is billed by the second instead, but the simulator books the same tokens for every audio model.
 *
 * @param seconds how long the uploaded audio plays ({@link AudioDuration})
 * @param format {@code json}, {@code text}, {@code srt}, {@code verbose_json} or {@code vtt}
 * @param language the {@code language} code asked for (transcriptions only), if any
 * @param promptTokens the {@code prompt}'s tokens
 */
record TranscriptionRequest(double seconds, String format, Optional<String> language, int promptTokens) {
  static final int AUDIO_TOKENS_PER_SECOND = 10;
  static final List<String> FORMATS = List.of("json", "text", "srt", "verbose_json", "vtt");

  /**
   * Reads {@code form}; throws {@link InvalidRequestException} for what a real service rejects.
   *
   * @param tokenModel whether the model is a gpt-4o-transcribe one, which answers only json or text
   */
  static TranscriptionRequest parse(Operation op, JsonNode form, boolean tokenModel) {
    List<MultipartForm.FilePart> files = MultipartForm.files(form, "file");
    if (files.size() != 1) {
      throw new InvalidRequestException(files.isEmpty()
          ? "'file' is a required property: upload the audio as a file part." : "Upload exactly one 'file'.", "file");
    }
    String format = BodyParams.choice(form, "response_format", tokenModel ? List.of("json", "text") : FORMATS, "json");
    Optional<String> language = op == Operation.AUDIO_TRANSCRIPTIONS
        ? BodyParams.text(form, "language").map(String::strip).filter(s -> !s.isEmpty())
        : Optional.empty();
    if (language.isPresent() && !language.get().matches("[A-Za-z]{2,3}")) {
      throw new InvalidRequestException("'language' must be an ISO-639-1 code such as 'en'.", "language");
    }
    BodyParams.number(form, "temperature", 0, 1, 0);
    int promptTokens = TokenCounter.count(BodyParams.text(form, "prompt").orElse(""));
    return new TranscriptionRequest(AudioDuration.seconds(files.getFirst()), format, language, promptTokens);
  }

  /** Audio tokens of the upload: {@value #AUDIO_TOKENS_PER_SECOND} a second, rounded up. */
  long audioTokens() {
    return (long) Math.ceil(seconds * AUDIO_TOKENS_PER_SECOND);
  }
}
