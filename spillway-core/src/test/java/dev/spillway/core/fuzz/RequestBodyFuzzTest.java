package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spillway.core.api.Operation;
import dev.spillway.core.tokens.TokenEstimator;
import java.io.IOException;
import java.util.Base64;

/**
 * The in-process half of the request-parser target: a client's body bytes read as the gateway reads them (its JSON
 * settings: exact decimals, no trailing tokens) and then counted as the gateway counts them before admission (prompt
 * tokens for chat, completions and embeddings in several model families, images by their header, tool definitions;
 * output tokens from {@code max_tokens}, {@code n}, {@code best_of}). Reading may only fail with Jackson's
 * {@link JsonProcessingException} or, for bytes in no encoding it detects, {@code CharConversionException}, both of
 * which the gateway answers with 400 {@code invalid_json}; counting never throws and
 * never gives a negative count. Bodies are fuzz bytes, or request-shaped JSON whose values (texts, numbers, roles,
 * content parts, base64 images with PNG, GIF, WebP or JPEG headers, tools) come from the fuzzer.
 *
 * <p>The other half, {@code dev.spillway.gateway.fuzz.GatewayRequestFuzzTest}, sends such requests through HTTP.
 */
class RequestBodyFuzzTest {
  /** As the gateway's {@code Json.MAPPER}. */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final TokenEstimator ESTIMATOR = TokenEstimator.byModelFamily();
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-3.5-turbo", "o1", "text-embedding-3-small", ""};
  private static final Operation[] OPERATIONS = {Operation.CHAT_COMPLETIONS, Operation.COMPLETIONS, Operation.EMBEDDINGS};

  @FuzzTest(maxDuration = "5s")
  void readsAndCountsAnyBody(FuzzedDataProvider data) {
    String model = data.consumeBoolean() ? data.pickValue(MODELS) : data.consumeString(16);
    byte[] body = data.consumeBoolean() ? JsonBodies.request(data).getBytes(java.nio.charset.StandardCharsets.UTF_8)
        : data.consumeRemainingAsBytes();
    JsonNode parsed;
    try {
      parsed = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return; // the documented bad input: 400 invalid_json
    } catch (IOException e) {
      // Bytes that are no text in any encoding Jackson detects (CharConversionException): 400 invalid_json too.
      assertThat(e).isInstanceOf(java.io.CharConversionException.class);
      return;
    }
    for (Operation op : OPERATIONS) {
      assertThat(ESTIMATOR.promptTokens(op, parsed, model)).isNotNegative();
      assertThat(ESTIMATOR.expectedOutputTokens(op, parsed, 1024)).isNotNegative();
    }
  }

  /** Request-shaped JSON text built from the fuzzer's choices. */
  static final class JsonBodies {
    private static final String[] KEYS = {
      "model", "messages", "prompt", "suffix", "input", "max_tokens", "max_completion_tokens", "n", "best_of",
      "stream", "tools", "functions", "stream_options", "temperature"
    };
    private static final String[] NUMBERS = {
      "0", "1", "-1", "2.0", "2.5", "1e3", "1E400", "-0", "9223372036854775807", "9223372036854775808",
      "1e-400", "100000000000000000000000000000000000000"
    };
    private static final String[] IMAGE_HEADERS = {"\u0089PNG\r\n\u001a\n", "GIF89a", "RIFF\0\0\0\0WEBPVP8 ",
      "RIFF\0\0\0\0WEBPVP8L", "RIFF\0\0\0\0WEBPVP8X", "\u00ff\u00d8\u00ff\u00e0", "\u00ff\u00d8\u00ff\u00c0"};

    private JsonBodies() {}

    static String request(FuzzedDataProvider data) {
      StringBuilder json = new StringBuilder("{");
      int fields = data.consumeInt(0, 6);
      for (int i = 0; i < fields; i++) {
        if (i > 0) {
          json.append(',');
        }
        String key = data.consumeInt(0, 7) == 0 ? data.consumeString(8) : data.pickValue(KEYS);
        json.append(string(key)).append(':').append(value(key, data, 0));
      }
      return json.append('}').toString();
    }

    private static String value(String key, FuzzedDataProvider data, int depth) {
      if (depth > 3) {
        return "null";
      }
      return switch (key) {
        case "messages" -> array(data, depth, () -> message(data, depth + 1));
        case "tools" -> array(data, depth, () -> "{\"type\":\"function\",\"function\":{\"name\":" + string(data.consumeString(8))
            + ",\"description\":" + string(data.consumeString(16)) + ",\"parameters\":" + any(data, depth + 1) + "}}");
        case "prompt", "input" -> data.consumeBoolean() ? string(data.consumeString(64))
            : array(data, depth, () -> data.consumeBoolean() ? data.pickValue(NUMBERS) : any(data, depth + 1));
        default -> data.consumeBoolean() ? data.pickValue(NUMBERS) : any(data, depth + 1);
      };
    }

    private static String message(FuzzedDataProvider data, int depth) {
      String role = string(data.pickValue(new String[] {"system", "user", "assistant", "tool", "developer", ""}));
      String content =
          switch (data.consumeInt(0, 3)) {
            case 0 -> string(data.consumeString(64));
            case 1 -> array(data, depth, () -> part(data, depth + 1));
            case 2 -> any(data, depth + 1);
            default -> "null";
          };
      String extra = data.consumeBoolean() ? ",\"name\":" + string(data.consumeString(8)) : "";
      if (data.consumeInt(0, 3) == 0) {
        extra += ",\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":"
            + string(data.consumeString(16)) + "}}]";
      }
      return "{\"role\":" + role + ",\"content\":" + content + extra + "}";
    }

    private static String part(FuzzedDataProvider data, int depth) {
      if (data.consumeBoolean()) {
        return "{\"type\":\"text\",\"text\":" + string(data.consumeString(32)) + "}";
      }
      String url;
      if (data.consumeBoolean()) {
        byte[] header = data.pickValue(IMAGE_HEADERS).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] rest = data.consumeBytes(40);
        byte[] image = new byte[header.length + rest.length];
        System.arraycopy(header, 0, image, 0, header.length);
        System.arraycopy(rest, 0, image, header.length, rest.length);
        String media = data.pickValue(new String[] {"image/png", "image/jpeg", "IMAGE/GIF", "x"});
        String encoded = Base64.getEncoder().encodeToString(image);
        if (data.consumeInt(0, 4) == 0) {
          encoded = encoded.substring(0, data.consumeInt(0, encoded.length())) + data.consumeString(4);
        }
        url = "data:" + media + (data.consumeInt(0, 5) == 0 ? "," : ";base64,") + encoded;
      } else {
        url = data.consumeString(32);
      }
      String detail = data.pickValue(new String[] {"", ",\"detail\":\"high\"", ",\"detail\":\"low\"", ",\"detail\":7"});
      return "{\"type\":\"image_url\",\"image_url\":{\"url\":" + string(url) + detail + "}}";
    }

    private static String any(FuzzedDataProvider data, int depth) {
      return switch (depth > 3 ? 0 : data.consumeInt(0, 5)) {
        case 0 -> data.pickValue(new String[] {"null", "true", "false", "0"});
        case 1 -> data.pickValue(NUMBERS);
        case 2 -> string(data.consumeString(24));
        case 3 -> array(data, depth, () -> any(data, depth + 1));
        case 4 -> "{" + string(data.pickValue(KEYS)) + ":" + any(data, depth + 1) + "}";
        default -> data.consumeString(16); // not necessarily JSON
      };
    }

    private static String array(FuzzedDataProvider data, int depth, java.util.function.Supplier<String> item) {
      int n = depth > 3 ? 0 : data.consumeInt(0, 4);
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        s.append(i > 0 ? "," : "").append(item.get());
      }
      return s.append(']').toString();
    }

    static String string(String text) {
      StringBuilder s = new StringBuilder("\"");
      for (char c : text.toCharArray()) {
        switch (c) {
          case '"' -> s.append("\\\"");
          case '\\' -> s.append("\\\\");
          default -> {
            if (c < 0x20) {
              s.append(String.format("\\u%04x", (int) c));
            } else {
              s.append(c);
            }
          }
        }
      }
      return s.append('"').toString();
    }
  }
}
