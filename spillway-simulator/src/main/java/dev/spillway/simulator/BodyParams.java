package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads parameters from a JSON body or from a multipart form's JSON ({@link MultipartForm#toJson()}),
 * where every field is a string: a number may therefore come as {@code 2} or {@code "2"}. Every
 * failure is an {@link InvalidRequestException} naming the parameter. Pure.
 */
final class BodyParams {
  private BodyParams() {}

  /** A required non-blank string. */
  static String requiredText(JsonNode body, String key) {
    return text(body, key).filter(s -> !s.isBlank())
        .orElseThrow(() -> new InvalidRequestException("'" + key + "' is a required property.", key));
  }

  /** An optional string; present but not a string is an error. */
  static Optional<String> text(JsonNode body, String key) {
    JsonNode node = body.get(key);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException("'" + key + "' must be a string.", key);
    }
    return Optional.of(node.asText());
  }

  /** An optional integer in {@code [min, max]}, {@code fallback} when absent. */
  static int integer(JsonNode body, String key, int min, int max, int fallback) {
    JsonNode node = body.get(key);
    if (node == null || node.isNull()) {
      return fallback;
    }
    long value;
    if (node.isIntegralNumber()) {
      value = node.asLong();
    } else {
      try {
        value = node.isTextual() ? Long.parseLong(node.asText().strip()) : Long.MIN_VALUE;
      } catch (NumberFormatException e) {
        value = Long.MIN_VALUE;
      }
    }
    if (value < min || value > max) {
      throw new InvalidRequestException("'" + key + "' must be an integer between " + min + " and " + max + ".", key);
    }
    return (int) value;
  }

  /** An optional number in {@code [min, max]}, {@code fallback} when absent. */
  static double number(JsonNode body, String key, double min, double max, double fallback) {
    JsonNode node = body.get(key);
    if (node == null || node.isNull()) {
      return fallback;
    }
    double value = Double.NaN;
    if (node.isNumber()) {
      value = node.asDouble();
    } else if (node.isTextual()) {
      try {
        value = Double.parseDouble(node.asText().strip());
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
    }
    if (!(value >= min && value <= max)) {
      throw new InvalidRequestException("'" + key + "' must be a number between " + min + " and " + max + ".", key);
    }
    return value;
  }

  /** An optional string among {@code allowed} (case-insensitive, returned lower-case), {@code fallback} when absent. */
  static String choice(JsonNode body, String key, List<String> allowed, String fallback) {
    Optional<String> value = text(body, key).map(s -> s.strip().toLowerCase(Locale.ROOT));
    if (value.isEmpty()) {
      return fallback;
    }
    if (!allowed.contains(value.get())) {
      throw new InvalidRequestException("Invalid value for '" + key + "': '" + value.get() + "'. Supported values are: "
          + String.join(", ", allowed) + ".", key);
    }
    return value.get();
  }
}
