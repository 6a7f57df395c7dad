package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A {@code multipart/form-data} body as {@link MultipartReader} kept it: the text fields, and a
 * summary of each file part (never its content). The request pipeline sees it as JSON (see {@link
 * #toJson()}), so that a form is addressed, seeded and validated like a JSON body.
 *
 * @param fields the text fields, in order
 * @param files the file parts, in order
 */
record MultipartForm(List<Field> fields, List<FilePart> files) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A text field. */
  record Field(String name, String value) {}

  /**
   * A file part as summarized while it streamed past.
   *
   * @param name the form field name, e.g. {@code file} or {@code image[]}
   * @param filename the client's filename (may be empty)
   * @param contentType the part's content type, or null when it had none
   * @param size the part's length in bytes
   * @param head its first bytes, at most {@link MultipartReader#HEAD_BYTES}
   */
  record FilePart(String name, String filename, String contentType, long size, byte[] head) {

    /** {@code {"filename","content_type","size","head"}}, the head in base64. */
    ObjectNode toJson() {
      ObjectNode node = JSON.createObjectNode();
      node.put("filename", filename);
      node.put("content_type", contentType);
      node.put("size", size);
      node.put("head", Base64.getEncoder().encodeToString(head));
      return node;
    }

    /** The file part {@code json} describes, as {@link #toJson()} wrote it under {@code name}. */
    static FilePart fromJson(String name, JsonNode json) {
      if (!json.isObject() || !json.path("size").isIntegralNumber() || !json.path("head").isTextual()) {
        throw new InvalidRequestException("'" + name + "' must be a file upload.", name);
      }
      JsonNode type = json.path("content_type");
      return new FilePart(name, json.path("filename").asText(""), type.isTextual() ? type.asText() : null,
          json.path("size").asLong(), Base64.getDecoder().decode(json.path("head").asText()));
    }
  }

  /**
   * The form as a JSON object: each field a string and each file part an object ({@link
   * FilePart#toJson()}), keyed by the field name without a trailing {@code []}; a name that occurs
   * more than once holds an array of its values in order.
   */
  ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    for (Field f : fields) {
      add(root, f.name(), JSON.getNodeFactory().textNode(f.value()));
    }
    for (FilePart f : files) {
      add(root, f.name(), f.toJson());
    }
    return root;
  }

  /** The file parts under {@code key} in a form's JSON: none, one, or several. */
  static List<FilePart> files(JsonNode form, String key) {
    JsonNode node = form.get(key);
    List<FilePart> parts = new ArrayList<>();
    if (node == null || node.isNull()) {
      return parts;
    }
    if (node.isArray()) {
      node.forEach(item -> parts.add(FilePart.fromJson(key, item)));
    } else {
      parts.add(FilePart.fromJson(key, node));
    }
    return parts;
  }

  private static void add(ObjectNode root, String name, JsonNode value) {
    String key = name.endsWith("[]") ? name.substring(0, name.length() - 2) : name;
    JsonNode existing = root.get(key);
    if (existing == null) {
      root.set(key, value);
    } else if (existing.isArray()) {
      ((ArrayNode) existing).add(value);
    } else {
      ArrayNode values = root.putArray(key);
      values.add(existing);
      values.add(value);
    }
  }
}
