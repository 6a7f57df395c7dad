package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.objects.OwnedObject;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.forward.UpstreamClients;
import dev.spillway.gateway.forward.dialect.Dialect;
import dev.spillway.gateway.http.Answer;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code objectLists}: answers {@code GET /files}, {@code GET /batches} and {@code GET /vector_stores} with the caller's
 * own objects only. The
 * backends cannot: behind the gateway's one credential their lists hold every caller's files. So the page comes from
 * the {@link ObjectRegistry} (the caller's ids, newest first, after the {@code after} cursor, at most {@code limit}, at
 * most {@value #MAX_LIMIT}), and each object from the backend that holds it, fetched at once in parallel; an object
 * its backend no longer has (deleted there, expired) is left out. {@code purpose} filters files as OpenAI's list does.
 * The answer has OpenAI's list shape: {@code object: list}, {@code data}, {@code first_id}, {@code last_id}, {@code
 * has_more}.
 */
public final class ObjectListPolicy implements Policy {
  /** The largest page: each object on it costs a call to its backend. */
  static final int MAX_LIMIT = 100;
  /** How many of the caller's objects a listing looks through for its cursor. */
  static final int MAX_SCAN = 10_000;
  private static final int DEFAULT_LIMIT = 20;

  private final ObjectRegistry registry;
  private final Map<String, Pool> pools;
  private final UpstreamClients clients;
  private final Clock clock;

  ObjectListPolicy(ObjectRegistry registry, Map<String, Pool> pools, UpstreamClients clients, Clock clock) {
    this.registry = registry;
    this.pools = pools;
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    Operation op = ctx.route().operation();
    if (!op.listsObjects()) {
      return Verdict.CONTINUE_NOW;
    }
    int limit;
    String after;
    String purpose;
    try {
      String rawLimit = ctx.httpRequest().getParam("limit");
      after = ctx.httpRequest().getParam("after");
      purpose = ctx.httpRequest().getParam("purpose");
      limit = rawLimit == null ? DEFAULT_LIMIT : Integer.parseInt(rawLimit.strip());
    } catch (NumberFormatException e) {
      return Verdict.refuse(badLimit());
    } catch (IllegalArgumentException e) {
      return Verdict.refuse(GatewayError.invalidParameter("after", "The query string is not valid percent-encoding."));
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return Verdict.refuse(badLimit());
    }
    ObjectKind kind = switch (op) {
      case FILES_LIST -> ObjectKind.FILE;
      case VECTOR_STORES_LIST -> ObjectKind.VECTOR_STORE;
      default -> ObjectKind.BATCH;
    };
    String owner = ctx.principal().consumerId();
    return Future.fromCompletionStage(registry.list(owner, kind, MAX_SCAN, clock.millis()))
        .compose(owned -> page(owned, after, limit, purpose))
        .map(page -> (Verdict) new Verdict.Respond(Answer.json(200, page)))
        .otherwise(e -> new Verdict.Refuse(GatewayError.objectsUnavailable()));
  }

  private static GatewayError badLimit() {
    return GatewayError.invalidParameter("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
  }

  private Future<String> page(List<OwnedObject> newestFirst, String after, int limit, String purpose) {
    int from = 0;
    if (after != null && !after.isEmpty()) {
      from = newestFirst.size(); // an unknown cursor: nothing after it
      for (int i = 0; i < newestFirst.size(); i++) {
        if (newestFirst.get(i).id().equals(after)) {
          from = i + 1;
          break;
        }
      }
    }
    List<OwnedObject> candidates = newestFirst.subList(from, newestFirst.size());
    List<Future<Optional<JsonNode>>> fetches = new ArrayList<>();
    // With a purpose filter some fetched objects drop out, so more are fetched than the page holds.
    int fetchCount = Math.min(purpose == null ? limit : MAX_LIMIT * 2, candidates.size());
    for (OwnedObject o : candidates.subList(0, fetchCount)) {
      fetches.add(fetch(o));
    }
    return Future.join(fetches).transform(ignored -> {
      ArrayNode data = Json.MAPPER.createArrayNode();
      boolean more = false;
      for (Future<Optional<JsonNode>> f : fetches) {
        Optional<JsonNode> object = f.succeeded() ? f.result() : Optional.empty();
        if (object.isEmpty() || (purpose != null && !purpose.equals(object.get().path("purpose").asText()))) {
          continue;
        }
        if (data.size() == limit) {
          more = true;
          break;
        }
        data.add(object.get());
      }
      more = more || fetchCount < candidates.size();
      ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
      list.set("data", data);
      list.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
      list.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
      list.put("has_more", more);
      return Future.succeededFuture(list.toString());
    });
  }

  /** The object as its backend has it now; empty when it does not (or its backend is no longer configured). */
  private Future<Optional<JsonNode>> fetch(OwnedObject o) {
    Pool pool = pools.get(o.model());
    Optional<BackendConfig> backend =
        pool == null ? Optional.empty() : pool.backend(o.backendId()).map(BackendState::config);
    if (backend.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    BackendConfig config = backend.get();
    Operation get = switch (o.kind()) {
      case FILE -> Operation.FILES_GET;
      case VECTOR_STORE -> Operation.VECTOR_STORES_GET;
      default -> Operation.BATCHES_GET;
    };
    String id = URLEncoder.encode(o.id(), StandardCharsets.UTF_8).replace("+", "%20");
    String uri = Dialect.of(config).uri(config, get, id, "");
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri)
        .setConnectTimeout(config.timeouts().connect().toMillis())
        .setIdleTimeout(config.timeouts().firstByte().toMillis());
    return clients.credential(config).header()
        .compose(credential -> clients.clientFor(config).request(options).compose(request -> {
          credential.ifPresent(c -> request.putHeader(c.name(), c.value()));
          return request.send();
        }))
        .compose(response -> response.body().map(body -> {
          if (response.statusCode() != 200) {
            return Optional.<JsonNode>empty();
          }
          try {
            JsonNode node = Json.MAPPER.readTree(body.getBytes());
            return node != null && node.isObject() ? Optional.of(node) : Optional.<JsonNode>empty();
          } catch (IOException e) {
            return Optional.<JsonNode>empty();
          }
        }));
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("objectLists", Placement.REQUEST, 260, Set.of("authenticate"), Set.of("authorizeModel"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new ObjectListPolicy(services.component(ObjectRegistry.class), services.pools(),
          services.component(UpstreamClients.class), services.clock());
    }
  }
}
