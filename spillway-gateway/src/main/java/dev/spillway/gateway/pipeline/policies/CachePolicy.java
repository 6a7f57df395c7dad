package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import dev.spillway.core.cache.AnswerReplay;
import dev.spillway.core.cache.CacheKeys;
import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.cache.StreamedAnswer;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.http.Answer;
import dev.spillway.gateway.pipeline.AttributeKey;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Verdict;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.cache.semantic.SemanticMatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cache}, the response cache stage: a chat completion that may be cached (the cache is on for its caller, its
 * temperature is within {@code maxTemperature}, it does not ask the backend to store it, and {@code Cache-Control} does
 * not forbid) is looked up in the exact layer under its {@link CacheKeys#exact key}; a hit is answered at once, as JSON
 * or replayed as the stream the caller asked for ({@link AnswerReplay}); on a miss, the backend's answer is stored when
 * it is complete (a non-streamed 200 whose every choice finished, or a stream assembled by {@link StreamedAnswer} that
 * ended with {@code [DONE]}): never a filtered, failed or cut answer.
 *
 * <p>Every cacheable request's response says what happened in {@value #HEADER} ({@code HIT}, {@code SEMANTIC_HIT},
 * {@code MISS}, {@code BYPASS}) and names its entry in {@value #KEY_HEADER} (for the admin API's invalidation); the
 * ledger records the status and, for a hit, the tokens saved. {@code Cache-Control: no-cache} skips the lookup, {@code
 * no-store} the store; a consumer's own {@code cache: {enabled: false}} opts it out.
 *
 * <p>It stands after {@code maxTokens} (the body it keys is the one the backend would get) and before {@code limits}
 * (a hit costs the caller no tokens).
 */
public final class CachePolicy implements Policy {
  public static final String HEADER = "x-spillway-cache";
  public static final String KEY_HEADER = "x-spillway-cache-key";
  public static final String SIMILARITY_HEADER = "x-spillway-cache-similarity";
  /** The longest answer stored; a longer stream is not assembled. */
  static final int MAX_ANSWER_BYTES = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMPLETE = Set.of("stop", "length", "tool_calls", "function_call");
  private static final AttributeKey<Pending> PENDING = AttributeKey.of("cache.pending", Pending.class);

  private static final AttributeKey<Double> SIMILARITY = AttributeKey.of("cache.similarity", Double.class);
  private static final System.Logger LOG = System.getLogger("spillway.cache");

  private final ResponseCache cache;
  private final Vertx vertx;

  CachePolicy(ResponseCache cache, Vertx vertx) {
    this.cache = cache;
    this.vertx = vertx;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    JsonNode body = ctx.json();
    if (body == null || ctx.route().operation() != Operation.CHAT_COMPLETIONS || ctx.model().isEmpty()) {
      return Verdict.CONTINUE_NOW;
    }
    CacheSettings.Resolved settings = cache.settingsFor(ctx.principal().consumer());
    if (!settings.enabled()) {
      if (cache.enabledByDefault()) {
        ctx.result().cache(new CacheStatus.Outcome(CacheStatus.BYPASS, Optional.empty()));
      }
      return Verdict.CONTINUE_NOW;
    }
    String control = ctx.headers().get("cache-control");
    boolean noCache = control != null && control.toLowerCase(java.util.Locale.ROOT).contains("no-cache");
    boolean noStore = control != null && control.toLowerCase(java.util.Locale.ROOT).contains("no-store");
    boolean storedByBackend = body.path("store").asBoolean(false);
    if ((noCache && noStore) || storedByBackend || CacheKeys.bypassReason(body, settings.maxTemperature()).isPresent()) {
      ctx.result().cache(new CacheStatus.Outcome(CacheStatus.BYPASS, Optional.empty()));
      return Verdict.CONTINUE_NOW;
    }
    String model = ctx.model().get();
    String tenant = ResponseCache.tenant(settings.varyBy(), ctx.principal().consumerId(), ctx.principal().team());
    String key = CacheKeys.exact(tenant, model, body);
    Pending pending = new Pending(key, tenant, model, settings, !noStore, ctx.stream() ? new StreamedAnswer(MAX_ANSWER_BYTES) : null);
    ctx.attribute(PENDING, pending);
    ctx.result().cache(new CacheStatus.Outcome(CacheStatus.MISS, Optional.empty()));
    if (noCache) {
      prepareSemantic(pending, body);
      return Verdict.CONTINUE_NOW;
    }
    Future<Verdict> exact = !settings.exact()
        ? Verdict.CONTINUE_NOW
        : Future.fromCompletionStage(cache.exact().get(key, cache.nowMillis()))
            .map(hit -> hit.<Verdict>map(a -> new Verdict.Respond(hitAnswer(ctx, a, CacheStatus.HIT))).orElse(Verdict.CONTINUE));
    return exact.compose(v -> v instanceof Verdict.Continue ? semanticLookup(ctx, pending, body) : Future.succeededFuture(v));
  }

  /**
   * On an exact miss: when the semantic layer applies to this request ({@link CacheKeys#semantic}), the last question
   * is embedded and looked up in its partition, off the event loop; a hit answers with the similar question's answer.
   * The vector is kept for storing the backend's answer.
   */
  private Future<Verdict> semanticLookup(RequestContext ctx, Pending pending, JsonNode body) {
    if (!prepareSemantic(pending, body)) {
      return Verdict.CONTINUE_NOW;
    }
    ResponseCache.SemanticLayer layer = cache.semantic().orElseThrow();
    double threshold = pending.settings.thresholdFor(pending.model);
    long now = cache.nowMillis();
    return vertx.<Optional<SemanticMatch>>executeBlocking(() -> {
      pending.vector = layer.embedder().embed(pending.semantic.question());
      return layer.index().nearest(pending.semantic.partition(), pending.semantic.question(), pending.vector, threshold,
          layer.guard(), now);
    }, false).<Verdict>map(match -> {
      if (match.isEmpty()) {
        return Verdict.CONTINUE;
      }
      ctx.attribute(SIMILARITY, match.get().similarity());
      return new Verdict.Respond(hitAnswer(ctx, match.get().entry().answer(), CacheStatus.SEMANTIC_HIT));
    }).recover(failed -> {
      // An embedder or index that fails costs the cache, never the request.
      LOG.log(System.Logger.Level.WARNING, "semantic cache lookup failed: " + failed.getClass().getSimpleName());
      pending.semantic = null;
      return Verdict.CONTINUE_NOW;
    });
  }

  /** Sets the request's semantic key when the semantic layer applies to it; returns whether it does. */
  private boolean prepareSemantic(Pending pending, JsonNode body) {
    if (!pending.settings.semantic() || cache.semantic().isEmpty()) {
      return false;
    }
    CacheKeys.SemanticKey k = CacheKeys.semantic(pending.tenant, pending.model, body,
        pending.settings.ignoreSystemMessages(), pending.settings.maxMessageCount(), cache.semantic().get().embedder().id());
    pending.semantic = k.skipped() ? null : k;
    return pending.semantic != null;
  }

  /** The answer for a hit, in the shape the caller asked for; books the hit and what it saved. */
  private static Answer hitAnswer(RequestContext ctx, CachedAnswer a, CacheStatus status) {
    ctx.result().cache(new CacheStatus.Outcome(status, Optional.of(a.usage())));
    ctx.attribute(PENDING).ifPresent(p -> p.store = false);
    if (ctx.stream()) {
      boolean includeUsage = ctx.json().path("stream_options").path("include_usage").asBoolean(false);
      return new Answer(200, "text/event-stream", Map.of("cache-control", "no-cache"),
          Buffer.buffer(AnswerReplay.asStream(a.completion(), includeUsage)));
    }
    return new Answer(200, "application/json", Map.of(), Buffer.buffer(a.completion()));
  }

  @Override
  public void onResponseStart(RequestContext ctx, int status, MultiMap headers) {
    CacheStatus s = ctx.result().cache().status();
    if (s != CacheStatus.NONE) {
      headers.set(HEADER, s.header());
      ctx.attribute(PENDING).ifPresent(p -> headers.set(KEY_HEADER, p.key));
      ctx.attribute(SIMILARITY).ifPresent(sim -> headers.set(SIMILARITY_HEADER, String.format(java.util.Locale.ROOT, "%.4f", sim)));
    }
  }

  @Override
  public boolean tapsChunks() {
    return cache.appliesToSomeone();
  }

  @Override
  public Buffer onChunk(RequestContext ctx, Buffer chunk) {
    Optional<Pending> p = ctx.attribute(PENDING);
    if (p.isPresent() && p.get().store && p.get().stream != null) {
      byte[] bytes = chunk.getBytes();
      p.get().stream.feed(bytes, 0, bytes.length);
    }
    return chunk;
  }

  @Override
  public boolean tapsAnswers() {
    return cache.appliesToSomeone();
  }

  @Override
  public void onAnswer(RequestContext ctx, Buffer body) {
    Optional<Pending> p = ctx.attribute(PENDING);
    if (p.isPresent() && p.get().store && p.get().stream == null && body.length() <= MAX_ANSWER_BYTES) {
      p.get().answer = body.getBytes();
    }
  }

  @Override
  public void onComplete(RequestContext ctx, RequestOutcome outcome) {
    Optional<Pending> found = ctx.attribute(PENDING);
    if (found.isEmpty() || !found.get().store || outcome.status() != 200 || outcome.interrupted()
        || outcome.usage().isEmpty() || outcome.cache().status() != CacheStatus.MISS) {
      return;
    }
    Pending p = found.get();
    TokenUsage usage = outcome.usage().get();
    Optional<byte[]> completion = p.stream != null ? p.stream.complete(usage) : completeJson(p.answer);
    if (completion.isEmpty()) {
      return;
    }
    long now = cache.nowMillis();
    CachedAnswer entry = new CachedAnswer(p.key, p.tenant, p.model, completion.get(), usage, now, now + p.settings.ttl().toMillis());
    if (p.settings.exact()) {
      cache.exact().put(entry, now);
    }
    if (p.semantic != null) {
      storeSemantic(p, entry);
    }
  }

  /** Adds the answer to the semantic layer: with the vector the lookup made, or one made now, off the event loop. */
  private void storeSemantic(Pending p, CachedAnswer entry) {
    ResponseCache.SemanticLayer layer = cache.semantic().orElseThrow();
    CacheKeys.SemanticKey k = p.semantic;
    float[] known = p.vector;
    vertx.executeBlocking(() -> {
      float[] vector = known != null ? known : layer.embedder().embed(k.question());
      layer.index().put(new SemanticEntry(k.partition(), k.question(), vector, entry), cache.nowMillis());
      return null;
    }, false).onFailure(failed ->
        LOG.log(System.Logger.Level.WARNING, "semantic cache store failed: " + failed.getClass().getSimpleName()));
  }

  /** {@code answer} when it is a chat completion whose every choice finished and none was filtered; else empty. */
  static Optional<byte[]> completeJson(byte[] answer) {
    if (answer == null) {
      return Optional.empty();
    }
    JsonNode n;
    try {
      n = JSON.readTree(answer);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode choices = n == null ? null : n.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty() || n.has("error")) {
      return Optional.empty();
    }
    for (JsonNode c : choices) {
      if (!COMPLETE.contains(c.path("finish_reason").asText(""))) {
        return Optional.empty();
      }
      JsonNode filter = c.get("content_filter_results");
      if (filter != null && filter.toString().contains("\"filtered\":true")) {
        return Optional.empty();
      }
    }
    return Optional.of(answer);
  }

  /** A cacheable request's state between its lookup and its completion. */
  private static final class Pending {
    final String key;
    final String tenant;
    final String model;
    final CacheSettings.Resolved settings;
    final StreamedAnswer stream;
    boolean store;
    byte[] answer;
    /** The semantic layer's key, when it applies to the request; its question's vector once embedded. */
    CacheKeys.SemanticKey semantic;
    float[] vector;

    Pending(String key, String tenant, String model, CacheSettings.Resolved settings, boolean store, StreamedAnswer stream) {
      this.key = key;
      this.tenant = tenant;
      this.model = model;
      this.settings = settings;
      this.store = store;
      this.stream = stream;
    }
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("cache", Placement.REQUEST, 480, Set.of("authenticate", "authorizeModel"), Set.of("limits"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new CachePolicy(services.component(ResponseCache.class), services.vertx());
    }
  }
}
