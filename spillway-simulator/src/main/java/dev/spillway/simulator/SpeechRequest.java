package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The facts the simulator needs from an {@code audio/speech} body. The clip lasts {@value
 * #CHARACTERS_PER_SECOND} characters of {@code input} a second at speed 1 (a brisk reading pace),
 * divided by {@code speed}. Its cost is one token per character of input: OpenAI bills tts-1 by the
 * character, so that is what a PTU bucket or PAYG quota is charged here.
 *
 * @param characters the input's length in Unicode code points
 * @param voice the voice asked for (any name is accepted)
 * @param format the audio format to answer
 * @param speed 0.25 to 4
 */
record SpeechRequest(int characters, String voice, SpeechFormat format, double speed) {
  static final int CHARACTERS_PER_SECOND = 15;
  static final int MAX_INPUT_CHARACTERS = 4096;

  /** Reads {@code body}; throws {@link InvalidRequestException} for what a real service rejects. */
  static SpeechRequest parse(JsonNode body) {
    String input = BodyParams.requiredText(body, "input");
    int characters = input.codePointCount(0, input.length());
    if (characters > MAX_INPUT_CHARACTERS) {
      throw new InvalidRequestException("'input' is too long: at most " + MAX_INPUT_CHARACTERS + " characters.", "input");
    }
    String voice = BodyParams.requiredText(body, "voice");
    List<String> formats = Arrays.stream(SpeechFormat.values()).map(SpeechFormat::id).toList();
    SpeechFormat format = SpeechFormat.valueOf(
        BodyParams.choice(body, "response_format", formats, "mp3").toUpperCase(Locale.ROOT));
    double speed = BodyParams.number(body, "speed", 0.25, 4.0, 1.0);
    if (BodyParams.choice(body, "stream_format", List.of("audio", "sse"), "audio").equals("sse")) {
      throw new InvalidRequestException("The simulator streams speech as audio only; 'stream_format' sse is not simulated.",
          "stream_format");
    }
    return new SpeechRequest(characters, voice, format, speed);
  }

  /** The clip's length in samples at {@link SpeechFormat#SAMPLE_RATE}, at least one. */
  long samples() {
    return Math.max(1, Math.round(characters * (double) SpeechFormat.SAMPLE_RATE / CHARACTERS_PER_SECOND / speed));
  }
}
