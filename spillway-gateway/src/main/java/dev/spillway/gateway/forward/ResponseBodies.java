package dev.spillway.gateway.forward;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.core.usage.UsageParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the gateway needs from a buffered JSON response: whether it is valid JSON at all,
 * and its {@code usage}. Streams the tokens instead of building a tree, so a large embeddings
 * response costs a scan, not an object graph.
 */
final class ResponseBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private ResponseBodies() {}

  /**
   * The result of reading a body: valid or not, the usage it reported, its top-level {@code id}, and the files it names
   * ({@code output_file_id}, {@code error_file_id}: a batch's; {@code file.id}: a completed upload's).
   */
  record Scan(boolean validJson, Optional<TokenUsage> usage, Optional<String> id, List<String> fileIds) {}

  private static final Scan INVALID = new Scan(false, Optional.empty(), Optional.empty(), List.of());

  static Scan scan(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return INVALID;
      }
      Optional<TokenUsage> usage = Optional.empty();
      Optional<String> id = Optional.empty();
      List<String> fileIds = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
          JsonNode node = MAPPER.readTree(p);
          usage = UsageParser.fromJson(node);
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
      return new Scan(true, usage, id, fileIds);
    } catch (IOException e) {
      return INVALID;
    }
  }
}
