package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.objects.OwnedObject;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Objects a request's body names by id — the files a vector store is made of or given ({@code file_ids}, {@code
 * file_id}), the stores a response searches ({@code tools[].vector_store_ids}) — which the caller must own and which
 * must all live on one backend, where the request then goes. Another caller's id, or an unknown one, is {@code 404} as
 * on its own route; ids on two backends cannot be served by one call and are refused {@code 400}.
 */
final class ObjectReferences {
  private final ObjectRegistry registry;
  private final Clock clock;

  ObjectReferences(ObjectRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** {@code file_id} and the strings of {@code file_ids}, in order, without repeats. */
  static List<String> fileIds(JsonNode body) {
    Set<String> ids = new LinkedHashSet<>();
    if (body == null) {
      return List.of();
    }
    if (body.path("file_id").isTextual()) {
      ids.add(body.path("file_id").textValue());
    }
    body.path("file_ids").forEach(id -> {
      if (id.isTextual()) {
        ids.add(id.textValue());
      }
    });
    return List.copyOf(ids);
  }

  /**
   * The uploaded files a model call reads: a Responses input's {@code input_file} parts ({@code file_id}) and a chat
   * message's {@code file} parts ({@code file.file_id}).
   */
  static List<String> inputFileIds(JsonNode body) {
    if (body == null) {
      return List.of();
    }
    // Plain loops, and a set only once an id turns up: every model call passes here, and few name a file.
    Set<String> ids = null;
    for (JsonNode item : body.path("input")) {
      for (JsonNode part : item.path("content")) {
        if ("input_file".equals(part.path("type").asText()) && part.path("file_id").isTextual()) {
          ids = add(ids, part.path("file_id").textValue());
        }
      }
    }
    for (JsonNode message : body.path("messages")) {
      for (JsonNode part : message.path("content")) {
        if ("file".equals(part.path("type").asText()) && part.path("file").path("file_id").isTextual()) {
          ids = add(ids, part.path("file").path("file_id").textValue());
        }
      }
    }
    return ids == null ? List.of() : List.copyOf(ids);
  }

  /** Every {@code vector_store_ids} entry of the body's {@code tools} (a file search). */
  static List<String> vectorStoreIds(JsonNode body) {
    if (body == null) {
      return List.of();
    }
    Set<String> ids = null;
    for (JsonNode tool : body.path("tools")) {
      for (JsonNode id : tool.path("vector_store_ids")) {
        if (id.isTextual()) {
          ids = add(ids, id.textValue());
        }
      }
    }
    return ids == null ? List.of() : List.copyOf(ids);
  }

  private static Set<String> add(Set<String> ids, String id) {
    Set<String> out = ids == null ? new LinkedHashSet<>() : ids;
    out.add(id);
    return out;
  }

  /**
   * Checks that the caller owns every id (of {@code kind}) and that they share one backend, {@code backend} when it is
   * given; the request is then bound there, and, with {@code takeModel}, runs as the objects' model.
   *
   * @param param the body's field, named in a refusal
   */
  Future<Verdict> bind(RequestContext ctx, List<String> ids, ObjectKind kind, String noun, String param,
      Optional<String> backend, boolean takeModel) {
    String caller = ctx.principal().consumerId();
    List<Future<Optional<OwnedObject>>> lookups = new ArrayList<>();
    for (String id : ids) {
      lookups.add(Future.fromCompletionStage(registry.get(id, clock.millis()))
          .map(o -> o.filter(x -> x.kind() == kind && x.owner().equals(caller))));
    }
    return Future.all(lookups).map(done -> {
      Optional<String> at = backend;
      String model = null;
      for (int i = 0; i < ids.size(); i++) {
        Optional<OwnedObject> found = lookups.get(i).result();
        if (found.isEmpty()) {
          return (Verdict) new Verdict.Refuse(GatewayError.objectNotFound(noun, ids.get(i)));
        }
        if (at.isPresent() && !at.get().equals(found.get().backendId())) {
          return new Verdict.Refuse(GatewayError.invalidParameter(param, noun + " '" + ids.get(i)
              + "' is stored on another backend than the rest of this request's objects; one call reaches one."));
        }
        at = Optional.of(found.get().backendId());
        model = model == null ? found.get().model() : model;
      }
      at.ifPresent(ctx::boundBackend);
      if (takeModel && model != null) {
        ctx.model(model);
      }
      return Verdict.CONTINUE;
    }).otherwise(e -> new Verdict.Refuse(GatewayError.objectsUnavailable()));
  }
}
