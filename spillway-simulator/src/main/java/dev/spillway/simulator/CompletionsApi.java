package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat and text completions on the simulator's pipeline: a request reaches {@link #answer} with its deployment, fault
 * and spillover settled; it is admitted by the shared {@link ExchangeAdmission} for its prompt tokens plus {@code
 * max_tokens} (or the length the simulator will write), then answered as one JSON body after the simulated time, or
 * as an SSE stream paced token by token ({@link SseStream}), which a midstream fault cuts. The simulated content
 * filter ({@link PromptFilter}) comes first: a blocked prompt is refused with {@code 400 content_filter}; a filtered
 * completion is cut short and ends with {@code finish_reason: content_filter} (see {@link CompletionJson}).
 *
 * <p>Thread-safe; {@link #answer} runs on the request's event loop and never blocks.
 */
final class CompletionsApi {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final Clock clock;
  private final ExchangeAdmission admission;
  private final String systemFingerprint;
  private final PromptFilter promptFilter;
  private final AtomicLong responseIds = new AtomicLong();

  CompletionsApi(Vertx vertx, SimulatorConfig config, Clock clock, ExchangeAdmission admission,
      String systemFingerprint, PromptFilter promptFilter) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.admission = admission;
    this.systemFingerprint = systemFingerprint;
    this.promptFilter = promptFilter;
  }

  /** Answers a chat or text completion whose deployment, kind and fault are settled; {@code body} is the request. */
  void answer(Exchange addressed, CompletionRequest request, JsonNode body) {
    FilterVerdict verdict = promptFilter.judge(addressed.req(), UserText.of(addressed.op(), body));
    if (promptFilter.refused(addressed, verdict, request.promptTokens())) {
      return;
    }
    int outputTokens = request.maxTokens().orElseGet(() -> CompletionText.defaultLength(addressed.random()));
    String finishReason = request.maxTokens().isPresent() ? "length" : "stop";
    Optional<Exchange> admitted = admission.admit(addressed, request.promptTokens(), outputTokens);
    if (admitted.isEmpty()) {
      return;
    }
    Exchange x = admitted.get();
    long start = System.nanoTime();
    int cached = x.deployment().promptCache().map(c -> c.serve(x.op(), body, request.promptTokens())).orElse(0);
    List<String> pieces = CompletionText.pieces(x.random(), outputTokens);
    if (verdict.completionFiltered()) {
      pieces = pieces.subList(0, FilterVerdict.filteredLength(outputTokens));
    }
    String idPrefix = x.op() == Operation.CHAT_COMPLETIONS ? "chatcmpl-" : "cmpl-";
    CompletionJson json = new CompletionJson(x.op(), idPrefix + nextId(29), clock.instant().getEpochSecond(),
        x.deployment().config().name(), systemFingerprint, new ContentFilterJson(verdict));
    long factor = x.latencyFactor(config.zeroLatency());
    long ttft = config.timing().timeToFirstTokenNanos(request.promptTokens()) * factor;
    long perToken = config.timing().nanosPerOutputToken() * factor;
    boolean midstream = x.faulted(FaultKind.MIDSTREAM);
    if (midstream) {
      x.deployment().faulted.increment();
    } else {
      x.deployment().succeeded.increment();
      if (verdict.completionFiltered()) {
        x.deployment().completionsFiltered.increment();
      }
    }
    if (request.stream() || midstream) {
      StreamPlan plan = json.stream(pieces, finishReason, request.promptTokens(), cached, request.includeUsage());
      new SseStream(vertx, x.req(), plan, start, ttft, perToken, midstream ? plan.midstreamCut() : -1).start();
    } else {
      String answer = json.response(pieces, finishReason, request.promptTokens(), cached);
      Replies.replyAfter(vertx, x.req(), ttft + (pieces.size() - 1) * perToken, answer);
    }
  }

  private String nextId(int length) {
    SplittableRandom random = new SplittableRandom(RequestSeed.of(config.seed(), responseIds.incrementAndGet()));
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return id.toString();
  }
}
