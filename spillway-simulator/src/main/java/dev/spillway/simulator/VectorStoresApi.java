package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Vector stores of a simulated resource, enough to test a gateway's affinity: create (from files of this resource
 * only), retrieve, update, delete, list; a store's files (add, list, remove) and a search that scores each file by the
 * query's words it contains. A file id this resource does not hold is {@code 404}, as on a real resource: a store and
 * its files must be on the same backend. Held in memory; thread-safe.
 */
final class VectorStoresApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final class Store {
    final ObjectNode json;
    final Set<String> files = new LinkedHashSet<>();

    Store(ObjectNode json) {
      this.json = json;
    }
  }

  private final FilesApi files;
  private final Function<String, Optional<byte[]>> content;
  private final Clock clock;
  private final Map<String, Store> stores = new ConcurrentHashMap<>();

  VectorStoresApi(FilesApi files, Function<String, Optional<byte[]>> content, Clock clock) {
    this.files = files;
    this.content = content;
    this.clock = clock;
  }

  /** {@code parts}: the path below the version prefix, split at {@code /}, starting with {@code vector_stores}. */
  void handle(HttpServerRequest req, String[] parts) {
    HttpServerResponse res = req.response();
    HttpMethod m = req.method();
    if (parts.length == 1) {
      if (m == HttpMethod.GET) {
        ArrayNode data = JSON.createArrayNode();
        stores.values().stream().map(s -> snapshot(s))
            .sorted(Comparator.comparingLong((ObjectNode o) -> o.path("created_at").asLong()).reversed())
            .forEach(data::add);
        Replies.send(res, 200, list(data).toString());
      } else {
        req.body().onSuccess(body -> create(res, parse(body.toString())));
      }
      return;
    }
    Store store = stores.get(parts[1]);
    if (store == null) {
      Replies.error(res, 404, "404", "Vector store '" + parts[1] + "' not found.");
      return;
    }
    if (parts.length == 2) {
      if (m == HttpMethod.DELETE) {
        stores.remove(parts[1]);
        Replies.send(res, 200, JSON.createObjectNode().put("id", parts[1]).put("object", "vector_store.deleted")
            .put("deleted", true).toString());
      } else if (m == HttpMethod.POST) {
        req.body().onSuccess(body -> {
          JsonNode update = parse(body.toString());
          synchronized (store) {
            if (update != null && update.path("name").isTextual()) {
              store.json.put("name", update.path("name").asText());
            }
          }
          Replies.send(res, 200, snapshot(store).toString());
        });
      } else {
        Replies.send(res, 200, snapshot(store).toString());
      }
      return;
    }
    switch (parts[2]) {
      case "files" -> storeFiles(req, store, parts);
      case "search" -> req.body().onSuccess(body -> search(res, store, parse(body.toString())));
      default -> Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
    }
  }

  private void create(HttpServerResponse res, JsonNode request) {
    Set<String> ids = new LinkedHashSet<>();
    if (request != null) {
      request.path("file_ids").forEach(id -> ids.add(id.asText()));
    }
    for (String id : ids) {
      if (content.apply(id).isEmpty()) {
        Replies.error(res, 404, "404", "File '" + id + "' not found.");
        return;
      }
    }
    ObjectNode json = JSON.createObjectNode().put("id", files.nextId("vs_")).put("object", "vector_store")
        .put("created_at", clock.instant().getEpochSecond())
        .put("name", request == null ? "" : request.path("name").asText("")).put("status", "completed");
    Store store = new Store(json);
    store.files.addAll(ids);
    stores.put(json.path("id").asText(), store);
    Replies.send(res, 200, snapshot(store).toString());
  }

  private void storeFiles(HttpServerRequest req, Store store, String[] parts) {
    HttpServerResponse res = req.response();
    String storeId = store.json.path("id").asText();
    if (parts.length == 3 && req.method() == HttpMethod.POST) {
      req.body().onSuccess(body -> {
        JsonNode request = parse(body.toString());
        String id = request == null ? "" : request.path("file_id").asText("");
        if (content.apply(id).isEmpty()) {
          Replies.error(res, 404, "404", "File '" + id + "' not found.");
          return;
        }
        synchronized (store) {
          store.files.add(id);
        }
        Replies.send(res, 200, storeFile(storeId, id).toString());
      });
    } else if (parts.length == 3) {
      ArrayNode data = JSON.createArrayNode();
      synchronized (store) {
        store.files.forEach(id -> data.add(storeFile(storeId, id)));
      }
      Replies.send(res, 200, list(data).toString());
    } else if (parts.length == 4 && req.method() == HttpMethod.DELETE) {
      boolean removed;
      synchronized (store) {
        removed = store.files.remove(parts[3]);
      }
      if (!removed) {
        Replies.error(res, 404, "404", "File '" + parts[3] + "' is not in this vector store.");
        return;
      }
      Replies.send(res, 200, JSON.createObjectNode().put("id", parts[3]).put("object", "vector_store.file.deleted")
          .put("deleted", true).toString());
    } else {
      Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
    }
  }

  private void search(HttpServerResponse res, Store store, JsonNode request) {
    String query = request == null ? "" : request.path("query").asText("");
    String[] words = query.toLowerCase(Locale.ROOT).split("\\W+");
    ArrayNode data = JSON.createArrayNode();
    Set<String> ids;
    synchronized (store) {
      ids = Set.copyOf(store.files);
    }
    for (String id : ids) {
      Optional<byte[]> bytes = content.apply(id);
      if (bytes.isEmpty()) {
        continue;
      }
      String text = new String(bytes.get(), StandardCharsets.UTF_8);
      String lower = text.toLowerCase(Locale.ROOT);
      long hits = java.util.Arrays.stream(words).filter(w -> !w.isEmpty() && lower.contains(w)).count();
      if (hits > 0) {
        ObjectNode result = data.addObject().put("file_id", id).put("filename", id + ".txt")
            .put("score", (double) hits / words.length);
        result.putArray("content").addObject().put("type", "text").put("text", text);
      }
    }
    ObjectNode page = list(data).put("object", "vector_store.search_results.page").put("search_query", query);
    Replies.send(res, 200, page.toString());
  }

  private ObjectNode snapshot(Store store) {
    synchronized (store) {
      ObjectNode json = store.json.deepCopy();
      json.putObject("file_counts").put("completed", store.files.size()).put("in_progress", 0).put("failed", 0)
          .put("cancelled", 0).put("total", store.files.size());
      return json;
    }
  }

  private static ObjectNode storeFile(String storeId, String fileId) {
    return JSON.createObjectNode().put("id", fileId).put("object", "vector_store.file").put("vector_store_id", storeId)
        .put("status", "completed");
  }

  private static ObjectNode list(ArrayNode data) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    list.set("data", data);
    return list.put("has_more", false);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return null;
    }
  }
}
