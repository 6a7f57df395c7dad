package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.cache.AnswerShape;
import dev.spillway.core.cache.CacheKeys;
import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.cache.CachedAnswer;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cache}, the response cache stage: a chat completion or a Responses API request ({@link AnswerShape}) that may
 * be cached (the cache is on for its caller, its temperature is within {@code maxTemperature}, the backend is not asked
 * to store it, and {@code Cache-Control} does not forbid) is looked up in the exact layer under its {@link
 * CacheKeys#exact key}, then in the semantic layer ({@link SemanticCacheSteps}); a hit is answered at once, as JSON or
 * replayed as the stream the caller asked for; on a miss, the backend's answer is stored when it is complete (a
 * non-streamed 200 that finished, or a stream the shape's assembler read to its end): never a filtered, failed or cut
 * answer.
 *
 * <p>Every cacheable request's response says what happened in {@value #HEADER} ({@code HIT}, {@code SEMANTIC_HIT},
 * {@code MISS}, {@code BYPASS}) and names its entry in {@value #KEY_HEADER} (for the admin API's invalidation); the
 * ledger records the status and, for a hit, the tokens saved. {@code Cache-Control: no-cache} skips the lookup, {@code
 * no-store} the store; a consumer's own {@code cache: {enabled: false}} opts it out.
 *
 * <p>While a shared cache's Redis is out ({@link ResponseCache#degraded}) a cacheable request is a {@code BYPASS}:
 * it goes to the backend and its answer is not stored.
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

  private static final AttributeKey<CachePending> PENDING = AttributeKey.of("cache.pending", CachePending.class);

  private static final AttributeKey<Double> SIMILARITY = AttributeKey.of("cache.similarity", Double.class);

  private final ResponseCache cache;
  private final SemanticCacheSteps semantic;

  CachePolicy(ResponseCache cache, Vertx vertx) {
    this.cache = cache;
    this.semantic = new SemanticCacheSteps(cache, vertx);
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    JsonNode body = ctx.json();
    Optional<AnswerShape> shape = AnswerShape.of(ctx.route().operation());
    if (body == null || shape.isEmpty() || ctx.model().isEmpty()) {
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
    if ((noCache && noStore) || shape.get().bypassReason(body).isPresent()
        || CacheKeys.bypassReason(body, settings.maxTemperature()).isPresent()) {
      ctx.result().cache(new CacheStatus.Outcome(CacheStatus.BYPASS, Optional.empty()));
      return Verdict.CONTINUE_NOW;
    }
    String model = ctx.model().get();
    String tenant = ResponseCache.tenant(settings.varyBy(), ctx.principal().consumerId(), ctx.principal().team());
    String key = CacheKeys.exact(tenant, model, shape.get().api(), body);
    CachePending pending = new CachePending(key, tenant, model, shape.get(), settings, !noStore,
        ctx.stream() ? shape.get().assembler(MAX_ANSWER_BYTES) : null);
    ctx.attribute(PENDING, pending);
    ctx.result().cache(new CacheStatus.Outcome(CacheStatus.MISS, Optional.empty()));
    if (noCache) {
      semantic.prepare(pending, body);
      return Verdict.CONTINUE_NOW;
    }
    Future<Verdict> exact = !settings.exact()
        ? Verdict.CONTINUE_NOW
        : Future.fromCompletionStage(cache.exact().get(key, cache.nowMillis()))
            .map(hit -> hit.<Verdict>map(a -> new Verdict.Respond(hitAnswer(ctx, a, CacheStatus.HIT))).orElse(Verdict.CONTINUE));
    return exact.compose(v -> {
      if (!(v instanceof Verdict.Continue)) {
        return Future.succeededFuture(v);
      }
      if (cache.degraded()) {
        // The shared cache's Redis is out: the request goes by, neither looked up further nor stored.
        pending.store = false;
        ctx.result().cache(new CacheStatus.Outcome(CacheStatus.BYPASS, Optional.empty()));
        return Verdict.CONTINUE_NOW;
      }
      return semanticLookup(ctx, pending, body);
    });
  }

  /** On an exact miss: a semantic hit answers with the similar question's answer. */
  private Future<Verdict> semanticLookup(RequestContext ctx, CachePending pending, JsonNode body) {
    return semantic.lookup(pending, body).map(match -> {
      if (match.isEmpty()) {
        return Verdict.CONTINUE;
      }
      ctx.attribute(SIMILARITY, match.get().similarity());
      return new Verdict.Respond(hitAnswer(ctx, match.get().entry().answer(), CacheStatus.SEMANTIC_HIT));
    });
  }

  /** The answer for a hit, in the shape the caller asked for; books the hit and what it saved. */
  private static Answer hitAnswer(RequestContext ctx, CachedAnswer a, CacheStatus status) {
    ctx.result().cache(new CacheStatus.Outcome(status, Optional.of(a.usage())));
    CachePending pending = ctx.attribute(PENDING).orElseThrow();
    pending.store = false;
    if (ctx.stream()) {
      return new Answer(200, "text/event-stream", Map.of("cache-control", "no-cache"),
          Buffer.buffer(pending.shape.replay(a.completion(), ctx.json())));
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
    Optional<CachePending> p = ctx.attribute(PENDING);
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
  public Buffer onAnswer(RequestContext ctx, Buffer body) {
    Optional<CachePending> p = ctx.attribute(PENDING);
    if (p.isPresent() && p.get().store && p.get().stream == null && body.length() <= MAX_ANSWER_BYTES) {
      p.get().answer = body.getBytes();
    }
    return body;
  }

  @Override
  public void onComplete(RequestContext ctx, RequestOutcome outcome) {
    Optional<CachePending> found = ctx.attribute(PENDING);
    if (found.isEmpty() || !found.get().store || outcome.status() != 200 || outcome.interrupted()
        || outcome.usage().isEmpty() || outcome.cache().status() != CacheStatus.MISS) {
      return;
    }
    CachePending p = found.get();
    TokenUsage usage = outcome.usage().get();
    Optional<byte[]> completion = p.stream != null
        ? p.stream.complete(usage)
        : p.answer == null ? Optional.empty() : p.shape.completeJson(p.answer);
    if (completion.isEmpty()) {
      return;
    }
    long now = cache.nowMillis();
    CachedAnswer entry = new CachedAnswer(p.key, p.tenant, p.model, completion.get(), usage, now, now + p.settings.ttl().toMillis());
    if (p.settings.exact()) {
      cache.exact().put(entry, now);
    }
    semantic.store(p, entry);
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
