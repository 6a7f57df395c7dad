package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.Json;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI {@code GET /v1/models} answers for the configured logical models. Built once: the
 * list only changes with the config.
 */
final class ModelsResponder {
  /** A fixed creation time: the gateway does not know when a backend model was made. */
  private static final long CREATED = 1_700_000_000L;

  private final String list;
  private final Map<String, String> byId = new LinkedHashMap<>();

  ModelsResponder(Collection<String> modelNames) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String name : modelNames) {
      ObjectNode model = data.addObject();
      model.put("id", name);
      model.put("object", "model");
      model.put("created", CREATED);
      model.put("owned_by", "spillway");
      byId.put(name, model.toString());
    }
    this.list = root.toString();
  }

  String list() {
    return list;
  }

  Optional<String> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }
}
