package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts the simulator needs from an {@code embeddings} body: the inputs (each a string or a
 * token array), the vector length and the encoding.
 *
 * @param inputs one entry per vector to return, in order
 * @param promptTokens tokens over all inputs ({@code o200k_base} for strings, array length for tokens)
 * @param dimensions vector length: the request's {@code dimensions}, else the deployment's
 * @param base64 whether {@code encoding_format} is {@code base64}
 */
record EmbeddingRequest(List<EmbeddingInput> inputs, int promptTokens, int dimensions, boolean base64) {
  static final int MAX_INPUTS = 2048;

  /** One input: text, or token ids when the client sent tokens. */
  record EmbeddingInput(String text, int[] tokens) {}

  /** Reads {@code body}; throws {@link InvalidRequestException} for what a real service rejects. */
  static EmbeddingRequest parse(JsonNode body, int nativeDimensions) {
    JsonNode input = body.get("input");
    List<EmbeddingInput> inputs = new ArrayList<>();
    if (input == null || input.isNull()) {
      throw new InvalidRequestException("'input' is a required property.", "input");
    } else if (input.isTextual()) {
      inputs.add(text(input));
    } else if (input.isArray() && !input.isEmpty() && input.get(0).isIntegralNumber()) {
      inputs.add(tokens(input));
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode item : input) {
        inputs.add(item.isArray() ? tokens(item) : text(item));
      }
    } else {
      throw new InvalidRequestException("'input' must be a non-empty string, array of strings or token arrays.", "input");
    }
    if (inputs.size() > MAX_INPUTS) {
      throw new InvalidRequestException("Too many inputs. The max number of inputs is " + MAX_INPUTS + ".", "input");
    }
    int prompt = 0;
    for (EmbeddingInput in : inputs) {
      prompt += in.tokens() != null ? in.tokens().length : TokenCounter.count(in.text());
    }
    int dimensions = nativeDimensions;
    JsonNode dims = body.get("dimensions");
    if (dims != null && !dims.isNull()) {
      if (!dims.isIntegralNumber() || dims.asLong() < 1 || dims.asLong() > nativeDimensions) {
        throw new InvalidRequestException(
            "'dimensions' must be an integer between 1 and " + nativeDimensions + ".", "dimensions");
      }
      dimensions = dims.asInt();
    }
    JsonNode format = body.get("encoding_format");
    boolean base64 = false;
    if (format != null && !format.isNull()) {
      String f = format.asText();
      if (!f.equals("float") && !f.equals("base64")) {
        throw new InvalidRequestException("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
      }
      base64 = f.equals("base64");
    }
    return new EmbeddingRequest(List.copyOf(inputs), prompt, dimensions, base64);
  }

  private static EmbeddingInput text(JsonNode item) {
    if (!item.isTextual() || item.asText().isEmpty()) {
      throw new InvalidRequestException("Each 'input' must be a non-empty string or token array.", "input");
    }
    return new EmbeddingInput(item.asText(), null);
  }

  private static EmbeddingInput tokens(JsonNode array) {
    if (array.isEmpty()) {
      throw new InvalidRequestException("A token array in 'input' must not be empty.", "input");
    }
    int[] ids = new int[array.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode id = array.get(i);
      if (!id.isIntegralNumber() || id.asLong() < 0) {
        throw new InvalidRequestException("Token arrays in 'input' must hold non-negative integers.", "input");
      }
      ids[i] = id.asInt();
    }
    return new EmbeddingInput(null, ids);
  }
}
