package dev.spillway.gateway.forward;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.core.usage.UsageReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads what the gateway needs from a buffered JSON response: whether it is valid JSON at all,
 * its {@code usage}, and what a media answer is billed in (how many images its {@code data} lists, how
 * many seconds of audio it transcribed). Streams the tokens instead of building a tree, so a large
 * embeddings response (or ten base64 images) costs a scan, not an object graph.
 */
final class ResponseBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private ResponseBodies() {}

  /**
   * The result of reading a body: valid or not, the usage it reported, its top-level {@code id}, the files it names
   * ({@code output_file_id}, {@code error_file_id}: a batch's; {@code file.id}: a completed upload's), the entries of
   * its top-level {@code data} array (an image answer's pictures), and the seconds of audio it says it transcribed:
   * {@code usage.seconds} when {@code usage.type} is {@code duration} (whisper), else the top-level {@code duration}
   * ({@code verbose_json}).
   */
  record Scan(boolean validJson, Optional<TokenUsage> usage, Optional<String> id, List<String> fileIds,
      OptionalLong dataEntries, OptionalDouble audioSeconds) {}

  private static final Scan INVALID =
      new Scan(false, Optional.empty(), Optional.empty(), List.of(), OptionalLong.empty(), OptionalDouble.empty());

  static Scan scan(byte[] body) {
    return scan(body, 0, body.length);
  }

  /** Reads {@code body[offset, offset + length)}. */
  static Scan scan(byte[] body, int offset, int length) {
    try (JsonParser p = FACTORY.createParser(body, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return INVALID;
      }
      Optional<TokenUsage> usage = Optional.empty();
      Optional<String> id = Optional.empty();
      List<String> fileIds = List.of();
      OptionalLong dataEntries = OptionalLong.empty();
      OptionalDouble usageSeconds = OptionalDouble.empty();
      OptionalDouble duration = OptionalDouble.empty();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
          UsageReader.Read read = UsageReader.read(p); // no tree: every answer has one
          usage = read.usage();
          usageSeconds = read.durationSeconds();
        } else if ("data".equals(name) && value == JsonToken.START_ARRAY) {
          dataEntries = OptionalLong.of(countEntries(p));
        } else if ("duration".equals(name) && value.isNumeric()) {
          double seconds = p.getDoubleValue();
          duration = Double.isFinite(seconds) && seconds >= 0 ? OptionalDouble.of(seconds) : OptionalDouble.empty();
        } else if ("id".equals(name) && value == JsonToken.VALUE_STRING && id.isEmpty()) {
          id = Optional.of(p.getText());
        } else if (("output_file_id".equals(name) || "error_file_id".equals(name)) && value == JsonToken.VALUE_STRING) {
          fileIds = fileIds.isEmpty() ? new ArrayList<>(2) : fileIds;
          fileIds.add(p.getText());
        } else if ("file".equals(name) && value == JsonToken.START_OBJECT) {
          JsonNode file = MAPPER.readTree(p); // a completed upload's file
          if (file.path("id").isTextual()) {
            fileIds = fileIds.isEmpty() ? new ArrayList<>(2) : fileIds;
            fileIds.add(file.path("id").textValue());
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return INVALID;
      }
      return new Scan(true, usage, id, fileIds, dataEntries, usageSeconds.isPresent() ? usageSeconds : duration);
    } catch (IOException e) {
      return INVALID;
    }
  }

  /** The entries of the array the parser is at the start of, each skipped whole; leaves it at the array's end. */
  private static long countEntries(JsonParser p) throws IOException {
    long n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "the array does not end");
      }
      p.skipChildren();
      n++;
    }
    return n;
  }
}
