package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.guard.AzureFilterResults;
import dev.spillway.core.guard.FilterResultsScanner;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.Masking;
import dev.spillway.core.guard.RequestTexts;
import dev.spillway.core.guard.SafetySummary;
import dev.spillway.core.guard.TextCheck;
import dev.spillway.core.guard.abuse.AbuseAction;
import dev.spillway.core.guard.abuse.EndUser;
import dev.spillway.core.guard.output.FilterResults;
import dev.spillway.core.guard.output.GuardedAnswer;
import dev.spillway.core.guard.output.StreamGuard;
import dev.spillway.core.guard.output.TextStreamGuard;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.core.limits.LimitRule;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.guard.ContentSafetyClient;
import dev.spillway.gateway.guard.GuardProfiles;
import dev.spillway.gateway.guard.SafetyMonitor;
import dev.spillway.gateway.http.BufferBytes;
import dev.spillway.gateway.pipeline.AttributeKey;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code guard}, the content guard stage. On the way in: an end user suspended by the abuse monitoring is refused
 * ({@code 403}); one throttled gets a token limit of its own in the {@code limits} stage; then the caller's profile
 * ({@link GuardProfiles}) checks the request's texts ({@link RequestTexts}): a BLOCK answers Azure's {@code 400
 * content_filter}, a MASK rewrites the texts before anything else reads them, a LOG only records. On the way out, the
 * profile's output guard checks a buffered answer whole and a stream a window at a time ({@link StreamGuard}, {@link
 * dev.spillway.core.guard.output.ResponseStreamGuard}); and
 * Azure's own content-filter results in every answer, error and stream are read ({@link AzureFilterResults}). At the
 * end each request's findings are one safety event and its end user's abuse score moves ({@link SafetyMonitor}).
 *
 * <p>It stands after {@code authorizeModel} and before {@code estimateTokens}, so masked text is what is counted,
 * cached and sent; and before {@code cache}, whose answer and chunk taps then see the guarded answer (a blocked one is
 * never stored, a masked one is stored masked).
 */
public final class GuardPolicy implements Policy {
  /** A throttled end user's own limit, which the {@code limits} stage adds to the caller's. */
  public static final AttributeKey<LimitCheck> THROTTLE = AttributeKey.of("guard.throttle", LimitCheck.class);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger("spillway.guard");
  private static final AttributeKey<State> STATE = AttributeKey.of("guard.state", State.class);
  private static final Set<dev.spillway.core.api.Operation> OUTPUT_GUARDED = java.util.EnumSet.of(
      dev.spillway.core.api.Operation.CHAT_COMPLETIONS, dev.spillway.core.api.Operation.COMPLETIONS,
      dev.spillway.core.api.Operation.RESPONSES);

  private final GuardProfiles profiles;
  private final SafetyMonitor monitor;

  GuardPolicy(GuardProfiles profiles, SafetyMonitor monitor) {
    this.profiles = profiles;
    this.monitor = monitor;
  }

  /** One request's guard state. */
  private static final class State {
    final Optional<GuardProfiles.Built> profile;
    final Optional<EndUser> user;
    final SafetySummary summary = new SafetySummary();
    /** Made on a stream's first chunk: a request answered whole never needs one. */
    FilterResultsScanner backend;
    TextStreamGuard stream;
    /** The stream guard's findings already copied onto the request's verdict. */
    int streamFindingsNoted;
    /** A hash of the text the strongest input finding matched, for its event. */
    String matchHash = "";
    int matchedStrength = -1;

    State(Optional<GuardProfiles.Built> profile, Optional<EndUser> user) {
      this.profile = profile;
      this.user = user;
    }
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    JsonNode body = ctx.json();
    String endUserId = ctx.result().endUser().id();
    Optional<EndUser> user = endUserId.isEmpty()
        ? Optional.empty()
        : Optional.of(new EndUser(ctx.principal().consumerId(), endUserId));
    State state = new State(profiles.forCaller(ctx.principal().consumer(), ctx.principal().team()), user);
    ctx.attribute(STATE, state);
    AbuseAction action = user.map(monitor::actionFor).orElse(AbuseAction.NONE);
    if (action == AbuseAction.SUSPEND) {
      return Verdict.refuse(GatewayError.endUserSuspended());
    }
    if (action == AbuseAction.THROTTLE) {
      ctx.attribute(THROTTLE, new LimitCheck("abuse|" + user.get().consumer() + "|" + user.get().id(),
          LimitRule.tokensPerMinute(monitor.settings().throttleTokensPerMinute())));
    }
    if (state.profile.isEmpty() || body == null
        || state.profile.get().input().isEmpty() && state.profile.get().contentSafety().isEmpty()) {
      return Verdict.CONTINUE_NOW;
    }
    RequestTexts texts = RequestTexts.of(ctx.route().operation(), body);
    List<GuardFinding> all = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      List<GuardFinding> found = inspect(state.profile.get().input(), texts.text(i));
      all.addAll(found);
      for (GuardFinding f : found) {
        int strength = f.action().ordinal() * 8 + f.severity();
        if (f.hasSpan() && strength > state.matchedStrength && f.end() <= texts.text(i).length()) {
          state.matchedStrength = strength;
          state.matchHash = SafetyMonitor.matchHash(texts.text(i).subSequence(f.start(), f.end()));
        }
      }
      if (found.stream().anyMatch(f -> f.action() == GuardAction.MASK && f.hasSpan())) {
        texts.replace(i, Masking.apply(texts.text(i), found));
        ctx.markBodyChanged();
      }
    }
    note(ctx, state, all, SafetySummary.Source.GATEWAY, SafetySummary.Direction.INPUT);
    List<GuardFinding> blocking = all.stream().filter(f -> f.action() == GuardAction.BLOCK).toList();
    if (!blocking.isEmpty()) {
      return Verdict.refuse(GatewayError.contentFiltered(FilterResults.of(blocking)));
    }
    Optional<ContentSafetyClient> safety = state.profile.get().contentSafety();
    if (safety.isEmpty() || texts.size() == 0) {
      return Verdict.CONTINUE_NOW;
    }
    return safety.get().inspect(texts.texts()).map(found -> {
      note(ctx, state, found, SafetySummary.Source.GATEWAY, SafetySummary.Direction.INPUT);
      List<GuardFinding> refused = found.stream().filter(f -> f.action() == GuardAction.BLOCK).toList();
      return refused.isEmpty() ? Verdict.CONTINUE : refusal(GatewayError.contentFiltered(FilterResults.of(refused)));
    }).recover(failed -> {
      LOG.log(System.Logger.Level.WARNING, "guard: " + failed.getMessage() + (safety.get().failOpen()
          ? "; the request goes on unchecked (failOpen)" : "; the request is refused (failOpen: false)"));
      return Future.succeededFuture(safety.get().failOpen()
          ? Verdict.CONTINUE : refusal(GatewayError.contentSafetyUnavailable()));
    });
  }

  private static Verdict refusal(GatewayError error) {
    return new Verdict.Refuse(error);
  }

  /** Adds {@code found} to the request's findings, and its strongest to the verdict its ledger row keeps. */
  private static void note(RequestContext ctx, State s, List<GuardFinding> found, SafetySummary.Source source,
      SafetySummary.Direction direction) {
    s.summary.add(found, source, direction);
    for (GuardFinding f : found) {
      if (f.action() != GuardAction.ALLOW) {
        ctx.result().safety(SafetyVerdict.of(f.action(), f.category(), f.severity()));
      }
    }
  }

  private static List<GuardFinding> inspect(List<TextCheck> checks, String text) {
    List<GuardFinding> found = new ArrayList<>();
    for (TextCheck c : checks) {
      found.addAll(c.inspect(text));
    }
    return found;
  }

  @Override
  public boolean tapsAnswers() {
    return true;
  }

  @Override
  public Buffer onAnswer(RequestContext ctx, Buffer body) {
    Optional<State> s = ctx.attribute(STATE);
    if (s.isEmpty()) {
      return body;
    }
    BufferBytes bytes = BufferBytes.of(body); // read in place: no copy of the answer per request
    if (AzureFilterResults.mayFlag(bytes.array(), bytes.offset(), bytes.offset() + bytes.length())) {
      try {
        note(ctx, s.get(), AzureFilterResults.of(JSON.readTree(bytes.array(), bytes.offset(), bytes.length())),
            SafetySummary.Source.BACKEND, SafetySummary.Direction.OUTPUT);
      } catch (IOException notJson) {
        // A transcript as text: no filter results to read.
      }
    }
    if (!guardsOutput(ctx, s.get())) {
      return body;
    }
    GuardedAnswer guarded = s.get().profile.get().output().answerGuard().guard(bytes.toArray());
    note(ctx, s.get(), guarded.findings(), SafetySummary.Source.GATEWAY, SafetySummary.Direction.OUTPUT);
    return guarded.changed() ? Buffer.buffer(guarded.body()) : body;
  }

  /** Whether the caller's profile checks this request's answer: generated text (chat, completions, responses) only. */
  private static boolean guardsOutput(RequestContext ctx, State s) {
    return s.profile.isPresent() && !s.profile.get().output().passesEverything()
        && OUTPUT_GUARDED.contains(ctx.route().operation());
  }

  @Override
  public void onBackendError(RequestContext ctx, int status, Buffer body) {
    ctx.attribute(STATE).ifPresent(s -> {
      try {
        note(ctx, s, AzureFilterResults.of(JSON.readTree(body.getBytes())), SafetySummary.Source.BACKEND,
            SafetySummary.Direction.INPUT);
      } catch (IOException notJson) {
        // Not Azure's error shape.
      }
    });
  }

  @Override
  public boolean tapsChunks() {
    return true;
  }

  @Override
  public Buffer onChunk(RequestContext ctx, Buffer chunk) {
    Optional<State> found = ctx.attribute(STATE);
    if (found.isEmpty()) {
      return chunk;
    }
    State s = found.get();
    byte[] bytes = chunk.getBytes();
    if (s.backend == null) {
      s.backend = new FilterResultsScanner();
    }
    int before = s.backend.count();
    s.backend.feed(bytes, 0, bytes.length);
    if (s.backend.count() > before) {
      // The ledger row is written from the outcome: the verdict must be known before the stream ends.
      List<GuardFinding> fromBackend = s.backend.findings();
      fromBackend.subList(before, fromBackend.size())
          .forEach(f -> ctx.result().safety(SafetyVerdict.of(f.action(), f.category(), f.severity())));
    }
    if (!guardsOutput(ctx, s)) {
      return chunk;
    }
    if (s.stream == null) {
      s.stream = ctx.route().operation() == dev.spillway.core.api.Operation.RESPONSES
          ? s.profile.get().output().responseStreamGuard()
          : s.profile.get().output().streamGuard();
    }
    Buffer out = Buffer.buffer(s.stream.feed(bytes, 0, bytes.length));
    if (s.stream.strongestAction() != GuardAction.ALLOW) {
      List<GuardFinding> fromGuard = s.stream.findings();
      fromGuard.subList(Math.min(s.streamFindingsNoted, fromGuard.size()), fromGuard.size())
          .forEach(f -> ctx.result().safety(SafetyVerdict.of(f.action(), f.category(), f.severity())));
      s.streamFindingsNoted = fromGuard.size();
    }
    return out;
  }

  @Override
  public void onComplete(RequestContext ctx, RequestOutcome outcome) {
    Optional<State> found = ctx.attribute(STATE);
    if (found.isEmpty()) {
      return;
    }
    State s = found.get();
    if (s.backend != null) {
      s.summary.add(s.backend.findings(), SafetySummary.Source.BACKEND, SafetySummary.Direction.OUTPUT);
    }
    if (s.stream != null) {
      s.summary.add(s.stream.findings(), SafetySummary.Source.GATEWAY, SafetySummary.Direction.OUTPUT);
    }
    monitor.record(ctx.requestId(), ctx.principal().consumerId(), ctx.principal().team(), s.user, s.summary,
        s.matchHash);
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("guard", Placement.REQUEST, 350, Set.of("authenticate", "parse"), Set.of("estimateTokens", "cache"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new GuardPolicy(services.component(GuardProfiles.class), services.component(SafetyMonitor.class));
    }
  }
}
