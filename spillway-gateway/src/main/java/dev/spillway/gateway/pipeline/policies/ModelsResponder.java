package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.http.Json;
import java.util.List;

/** The OpenAI {@code GET /v1/models} answers for the logical models a caller may see. */
final class ModelsResponder {
  /** A fixed creation time: the gateway does not know when a backend model was made. */
  private static final long CREATED = 1_700_000_000L;

  private ModelsResponder() {}

  static String list(List<String> modelNames) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String name : modelNames) {
      data.add(node(name));
    }
    return root.toString();
  }

  static String model(String name) {
    return node(name).toString();
  }

  private static ObjectNode node(String name) {
    ObjectNode model = Json.MAPPER.createObjectNode();
    model.put("id", name);
    model.put("object", "model");
    model.put("created", CREATED);
    model.put("owned_by", "spillway");
    return model;
  }
}
