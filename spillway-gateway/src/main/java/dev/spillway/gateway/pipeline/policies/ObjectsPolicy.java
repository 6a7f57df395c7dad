package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.objects.OwnedObject;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.pipeline.ObjectFacts;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code objects}: whose stored objects are whose, and where they live. A stored response, a file or a batch exists on
 * the one backend that created it, and every caller reaches that backend with the gateway's one credential; so the
 * gateway records each object it hands out — id, owner (the consumer), model and backend — in the {@link
 * ObjectRegistry}, and:
 *
 * <ul>
 *   <li>a call on an object ({@code GET /responses/{id}}, delete, input items, cancel) goes to the backend that holds
 *       it, under the model it was created with, and only for its owner: an unknown id, an expired one and another
 *       caller's all answer the same {@code 404}, so an id tells nobody anything about other callers' objects;
 *   <li>a request continuing a conversation ({@code previous_response_id}) is bound to that response's backend: it may
 *       wait for it, it never spills (the conversation is not on the other backends);
 *   <li>a batch runs on the backend that holds its input file (the caller's own), on the file's model;
 *   <li>an object the backend created (a response, a file, a batch, and the output and error files a batch's answer
 *       names) is recorded before the answer ends, so the caller's next call finds it; a deleted one is forgotten.
 * </ul>
 *
 * <p>The backend still decides whether an object exists: a recorded id the backend has lost gets the backend's own
 * 404. With {@code objects.store: redis} every replica sees the same records; if Redis cannot be reached, calls on
 * objects are answered {@code 503 objects_unavailable} (an owner that cannot be checked is not guessed).
 */
public final class ObjectsPolicy implements Policy {
  private static final Logger LOG = System.getLogger(ObjectsPolicy.class.getName());

  private final ObjectRegistry registry;
  private final Map<String, Pool> pools;
  private final Clock clock;
  private final ObjectReferences references;

  ObjectsPolicy(ObjectRegistry registry, Map<String, Pool> pools, Clock clock) {
    this.registry = registry;
    this.pools = pools;
    this.clock = clock;
    this.references = new ObjectReferences(registry, clock);
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    Operation op = ctx.route().operation();
    if (op.onObject()) {
      String id = ctx.route().pathParam().orElse("");
      return owned(ctx, id, kindOf(op))
          .map(found -> found.<Verdict>map(o -> {
            ctx.model(o.model());
            ctx.boundBackend(o.backendId());
            return Verdict.CONTINUE;
          }).orElseGet(() -> new Verdict.Refuse(GatewayError.objectNotFound(nounOf(op), id))))
          .otherwise(e -> new Verdict.Refuse(GatewayError.objectsUnavailable()))
          .compose(v -> v instanceof Verdict.Continue && op == Operation.VECTOR_STORES_CALL
              ? filesOf(ctx, ctx.boundBackend())
              : Future.succeededFuture(v));
    }
    if (op == Operation.BATCHES_CREATE) {
      return batchInput(ctx);
    }
    if (op == Operation.VECTOR_STORES_CREATE) {
      return filesOf(ctx, Optional.empty());
    }
    List<String> stores = op == Operation.RESPONSES ? ObjectReferences.vectorStoreIds(ctx.json()) : List.of();
    if (!stores.isEmpty()) {
      // A file search runs where its stores are; a conversation it continues must be there too.
      return references.bind(ctx, stores, ObjectKind.VECTOR_STORE, "Vector store", "tools", Optional.empty(), false)
          .compose(v -> v instanceof Verdict.Continue ? searchable(ctx) : Future.succeededFuture(v));
    }
    return continued(ctx);
  }

  /** The stores' backend must be one of the response model's; then any conversation continued must be there too. */
  private Future<Verdict> searchable(RequestContext ctx) {
    Pool pool = ctx.model().map(pools::get).orElse(null);
    String backend = ctx.boundBackend().orElseThrow();
    if (pool != null && pool.backend(backend).isEmpty()) {
      return Verdict.refuse(GatewayError.invalidParameter("tools", "The vector stores this request searches are"
          + " stored on a backend that model `" + ctx.model().get() + "` does not use on this gateway."));
    }
    return continued(ctx);
  }

  /** The files a vector store is made of, or given, must be the caller's and live where the store does. */
  private Future<Verdict> filesOf(RequestContext ctx, Optional<String> storeBackend) {
    List<String> files = ObjectReferences.fileIds(ctx.json());
    if (files.isEmpty()) {
      return Verdict.CONTINUE_NOW;
    }
    return references.bind(ctx, files, ObjectKind.FILE, "File", "file_ids", storeBackend, storeBackend.isEmpty());
  }

  /** A response continuing a conversation goes where the conversation is (and must agree with a bound file search). */
  private Future<Verdict> continued(RequestContext ctx) {
    Operation op = ctx.route().operation();
    JsonNode previous = op == Operation.RESPONSES && ctx.json() != null ? ctx.json().get("previous_response_id") : null;
    if (previous == null || !previous.isTextual() || previous.textValue().isEmpty()) {
      return Verdict.CONTINUE_NOW; // no conversation to continue (a non-string id is the backend's to refuse)
    }
    String id = previous.textValue();
    return owned(ctx, id, ObjectKind.RESPONSE)
        .map(found -> continuing(ctx, id, found))
        .otherwise(e -> new Verdict.Refuse(GatewayError.objectsUnavailable()));
  }

  private Verdict continuing(RequestContext ctx, String id, Optional<OwnedObject> found) {
    if (found.isEmpty()) {
      return new Verdict.Refuse(GatewayError.previousResponseNotFound(id));
    }
    OwnedObject o = found.get();
    Pool pool = ctx.model().map(pools::get).orElse(null);
    if (pool != null && pool.backend(o.backendId()).isEmpty()) {
      return new Verdict.Refuse(GatewayError.previousResponseOtherModel(id, o.model(), ctx.model().get()));
    }
    if (ctx.boundBackend().isPresent() && !ctx.boundBackend().get().equals(o.backendId())) {
      return new Verdict.Refuse(GatewayError.invalidParameter("previous_response_id", "Previous response with id '" + id
          + "' is stored on another backend than the vector stores this request searches; one call reaches one."));
    }
    ctx.boundBackend(o.backendId());
    return Verdict.CONTINUE;
  }

  /** A batch runs where its input file is, on the model the file's requests name; the file must be the caller's. */
  private Future<Verdict> batchInput(RequestContext ctx) {
    JsonNode input = ctx.json() == null ? null : ctx.json().get("input_file_id");
    if (input == null || !input.isTextual() || input.textValue().isEmpty()) {
      return Verdict.refuse(GatewayError.invalidParameter("input_file_id",
          "A batch names its input file: input_file_id, the id of a file uploaded with purpose 'batch'."));
    }
    String id = input.textValue();
    return owned(ctx, id, ObjectKind.FILE)
        .map(found -> found.<Verdict>map(file -> {
          ctx.model(file.model());
          ctx.boundBackend(file.backendId());
          return Verdict.CONTINUE;
        }).orElseGet(() -> new Verdict.Refuse(GatewayError.objectNotFound("File", id))))
        .otherwise(e -> new Verdict.Refuse(GatewayError.objectsUnavailable()));
  }

  /** The object if it is the caller's and of {@code kind}; empty for anything else. */
  private Future<Optional<OwnedObject>> owned(RequestContext ctx, String id, ObjectKind kind) {
    String caller = ctx.principal().consumerId();
    return Future.fromCompletionStage(registry.get(id, clock.millis()))
        .map(o -> o.filter(x -> x.kind() == kind && x.owner().equals(caller)));
  }

  /**
   * Records a created object (a stored response, an uploaded file, a batch, and the files a batch's answer names),
   * forgets a deleted one; the answer ends once the registry has it.
   */
  @Override
  public Future<Void> completeBeforeAnswer(RequestContext ctx, RequestOutcome outcome) {
    int status = ctx.result().status();
    if (status < 200 || status >= 300 || ctx.route() == null) {
      return Future.succeededFuture();
    }
    Operation op = ctx.route().operation();
    return switch (op) {
      case RESPONSES -> stored(ctx) ? record(ctx, ObjectKind.RESPONSE) : Future.succeededFuture();
      case FILES_CREATE -> record(ctx, ObjectKind.FILE);
      case BATCHES_CREATE -> record(ctx, ObjectKind.BATCH);
      case UPLOADS_CREATE -> record(ctx, ObjectKind.UPLOAD);
      case VECTOR_STORES_CREATE -> record(ctx, ObjectKind.VECTOR_STORE);
      case BATCHES_GET, BATCHES_CANCEL, UPLOADS_COMPLETE -> recordLinkedFiles(ctx);
      case RESPONSES_DELETE, FILES_DELETE, VECTOR_STORES_DELETE -> settled(registry.remove(ctx.route().pathParam().orElse("")), "forget");
      default -> Future.succeededFuture();
    };
  }

  /** The object the backend just created, as the caller's, on the backend that answered. */
  private Future<Void> record(RequestContext ctx, ObjectKind kind) {
    Optional<String> id = ctx.result().createdObjectId();
    Optional<String> backend = ctx.result().backend().map(b -> b.id());
    if (id.isEmpty() || backend.isEmpty() || ctx.model().isEmpty()) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    OwnedObject o = new OwnedObject(id.get(), kind, ctx.principal().consumerId(), ctx.model().get(), backend.get(), now);
    return settled(registry.put(o, now), "record");
  }

  /**
   * The files an answer names — a batch's output and error files, a completed upload's file — as the owner's of the
   * batch or upload, on its backend. Recorded the first time only, so they keep their place in the owner's listing.
   */
  private Future<Void> recordLinkedFiles(RequestContext ctx) {
    Optional<ObjectFacts.LinkedFiles> linked = ctx.attribute(ObjectFacts.LINKED_FILES);
    Optional<String> backend = ctx.result().backend().map(b -> b.id());
    if (linked.isEmpty() || backend.isEmpty() || ctx.model().isEmpty()) {
      return Future.succeededFuture();
    }
    String owner = ctx.principal().consumerId();
    List<Future<Void>> puts = new ArrayList<>();
    for (String id : linked.get().ids()) {
      long now = clock.millis();
      puts.add(Future.fromCompletionStage(registry.get(id, now)).compose(known -> known.isPresent()
          ? Future.<Void>succeededFuture()
          : Future.fromCompletionStage(registry.put(
              new OwnedObject(id, ObjectKind.FILE, owner, ctx.model().get(), backend.get(), now), now))));
    }
    return settled(Future.join(puts).<Void>mapEmpty().toCompletionStage(), "record");
  }

  /** A response is stored unless the request said {@code "store": false}. */
  private static boolean stored(RequestContext ctx) {
    JsonNode store = ctx.json() == null ? null : ctx.json().get("store");
    return store == null || !store.isBoolean() || store.booleanValue();
  }

  private static Future<Void> settled(java.util.concurrent.CompletionStage<Void> stage, String what) {
    return Future.fromCompletionStage(stage).recover(e -> {
      // The object exists on its backend, but this gateway cannot reach it by id for now: worth an operator's look.
      LOG.log(Level.WARNING, "object registry: could not " + what + " an object: " + e.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }

  private static ObjectKind kindOf(Operation op) {
    if (op.name().startsWith("FILES_")) {
      return ObjectKind.FILE;
    }
    if (op.name().startsWith("UPLOADS_")) {
      return ObjectKind.UPLOAD;
    }
    if (op.name().startsWith("VECTOR_STORES_")) {
      return ObjectKind.VECTOR_STORE;
    }
    return op.name().startsWith("BATCHES_") ? ObjectKind.BATCH : ObjectKind.RESPONSE;
  }

  private static String nounOf(Operation op) {
    return switch (kindOf(op)) {
      case FILE -> "File";
      case BATCH -> "Batch";
      case UPLOAD -> "Upload";
      case VECTOR_STORE -> "Vector store";
      default -> "Response";
    };
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("objects", Placement.REQUEST, 250, Set.of("authenticate", "parse"), Set.of("authorizeModel"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new ObjectsPolicy(services.component(ObjectRegistry.class), services.pools(), services.clock());
    }
  }
}
