package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a {@code moderations} body, each answered by one result: a string; an array of
 * strings (one result each); or an array of multimodal parts, {@code {"type":"text","text":..}} and
 * {@code {"type":"image_url","image_url":{"url":..}}}, which together are one input. Its cost is the
 * text's {@code o200k_base} tokens plus {@value #TOKENS_PER_IMAGE} per image (OpenAI does not bill
 * moderations, but a quota still counts them).
 *
 * @param inputs what to classify, one result each
 */
record ModerationRequest(List<Input> inputs) {
  static final int TOKENS_PER_IMAGE = 85;
  static final int MAX_INPUTS = 2048;

  /** One input: its text (parts joined by a space) and how many images it has. */
  record Input(String text, int images) {}

  /** Reads {@code body}; throws {@link InvalidRequestException} for what a real service rejects. */
  static ModerationRequest parse(JsonNode body) {
    JsonNode input = body.get("input");
    List<Input> inputs = new ArrayList<>();
    if (input == null || input.isNull()) {
      throw new InvalidRequestException("'input' is a required property.", "input");
    } else if (input.isTextual()) {
      inputs.add(new Input(input.asText(), 0));
    } else if (input.isArray() && !input.isEmpty() && input.get(0).isObject()) {
      inputs.add(multimodal(input));
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode item : input) {
        if (!item.isTextual()) {
          throw new InvalidRequestException("'input' must be a string, an array of strings or an array of "
              + "multimodal parts.", "input");
        }
        inputs.add(new Input(item.asText(), 0));
      }
    } else {
      throw new InvalidRequestException("'input' must be a string, a non-empty array of strings or of multimodal "
          + "parts.", "input");
    }
    if (inputs.size() > MAX_INPUTS) {
      throw new InvalidRequestException("Too many inputs: at most " + MAX_INPUTS + ".", "input");
    }
    return new ModerationRequest(List.copyOf(inputs));
  }

  /** Tokens over all inputs. */
  long tokens() {
    long tokens = 0;
    for (Input in : inputs) {
      tokens += TokenCounter.count(in.text()) + (long) TOKENS_PER_IMAGE * in.images();
    }
    return tokens;
  }

  private static Input multimodal(JsonNode parts) {
    StringBuilder text = new StringBuilder();
    int images = 0;
    for (JsonNode part : parts) {
      String type = part.path("type").asText("");
      if (type.equals("text") && part.path("text").isTextual()) {
        text.append(text.isEmpty() ? "" : " ").append(part.path("text").asText());
      } else if (type.equals("image_url") && part.path("image_url").path("url").isTextual()) {
        images++;
      } else {
        throw new InvalidRequestException("Each multimodal part of 'input' must be {\"type\":\"text\",\"text\":...} or "
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":...}}.", "input");
      }
    }
    return new Input(text.toString(), images);
  }
}
