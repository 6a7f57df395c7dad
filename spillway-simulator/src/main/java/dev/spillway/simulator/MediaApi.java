package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Images, audio and moderations on the simulator's pipeline: a request reaches {@link #answer} with
 * its deployment (of the right kind), fault and spillover settled, like a chat completion; it is then
 * parsed, priced in tokens (see {@link ImageRequest}, {@link TranscriptionRequest}, {@link
 * SpeechRequest}, {@link ModerationRequest}), admitted by the same {@link ExchangeAdmission} (so a
 * PTU bucket or PAYG quota answers {@code 429} with {@code retry-after-ms} exactly as for chat, or
 * spills over), and answered.
 *
 * <p>Model families, recognized in the deployment name or the body's {@code model}: {@code gpt-image*}
 * answers base64 with token usage; {@code dall-e-3} adds a revised prompt; a name containing {@code
 * transcribe} (gpt-4o-transcribe) reports usage in tokens and answers only json or text, any other
 * audio model (whisper) reports seconds.
 *
 * <p>Latency: the time to first token for the input tokens, then the output tokens at {@value
 * #OUTPUT_SPEEDUP}× the configured output speed (a picture or transcript is not streamed token by
 * token; a 1024×1024 medium image takes 1.3 s more at the default 80 tokens/s); speech starts after
 * the time to first token and then streams as fast as the client reads. A {@code midstream} fault
 * drops the connection instead of a JSON answer, and cuts a speech stream after its first chunk.
 *
 * <p>Thread-safe; {@link #answer} runs on the request's event loop and never blocks.
 */
final class MediaApi {
  static final int OUTPUT_SPEEDUP = 10;

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final Clock clock;
  private final ExchangeAdmission admission;
  /** Random per instance so that two simulators with the same seed never hand out the same id. */
  private final long idSalt = new SecureRandom().nextLong();
  private final AtomicLong idSequence = new AtomicLong();

  MediaApi(Vertx vertx, SimulatorConfig config, Clock clock, ExchangeAdmission admission) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.admission = admission;
  }

  /** Whether {@link #answer} serves {@code op}. */
  static boolean serves(Operation op) {
    return switch (op) {
      case IMAGE_GENERATIONS, IMAGE_EDITS, IMAGE_VARIATIONS, AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS, AUDIO_SPEECH,
          MODERATIONS -> true;
      default -> false;
    };
  }

  /**
   * Answers {@code body} (JSON, or a form's JSON) for an exchange whose deployment, kind and fault are
   * settled; throws {@link InvalidRequestException} for a body a real service rejects.
   */
  void answer(Exchange x, JsonNode body) {
    switch (x.op()) {
      case IMAGE_GENERATIONS, IMAGE_EDITS, IMAGE_VARIATIONS -> images(x, body);
      case AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS -> transcription(x, body);
      case AUDIO_SPEECH -> speech(x, SpeechRequest.parse(body));
      case MODERATIONS -> moderation(x, ModerationRequest.parse(body));
      default -> throw new IllegalArgumentException("not a media operation: " + x.op());
    }
  }

  private void images(Exchange addressed, JsonNode body) {
    boolean gptImage = named(addressed, body, name -> name.startsWith("gpt-image"));
    ImageRequest request = ImageRequest.parse(addressed.op(), body, gptImage);
    Optional<Exchange> admitted = admitWhole(addressed, request.inputTokens(), request.outputTokens());
    if (admitted.isPresent()) {
      Exchange x = admitted.get();
      boolean revise = x.op() == Operation.IMAGE_GENERATIONS && named(addressed, body, name -> name.startsWith("dall-e-3"));
      String json = ImageJson.answer(request, clock.instant().getEpochSecond(), x.random(), () -> newId(""),
          revise, gptImage).toString();
      reply(x, request.inputTokens(), request.outputTokens(), Replies.APPLICATION_JSON, json);
    }
  }

  private void transcription(Exchange addressed, JsonNode body) {
    boolean tokenModel = named(addressed, body, name -> name.contains("transcribe"));
    TranscriptionRequest request = TranscriptionRequest.parse(addressed.op(), body, tokenModel);
    Transcript transcript = Transcript.of(config.seed(), addressed.op(), request.seconds());
    long input = request.audioTokens() + request.promptTokens();
    long output = TokenCounter.count(transcript.text());
    Optional<Exchange> admitted = admitWhole(addressed, input, output);
    if (admitted.isPresent()) {
      TranscriptionJson.Answer answer = TranscriptionJson.answer(addressed.op(), request, transcript, tokenModel, output);
      reply(admitted.get(), input, output, answer.contentType(), answer.body());
    }
  }

  private void speech(Exchange addressed, SpeechRequest request) {
    Optional<Exchange> admitted = admission.admit(addressed, request.characters(), 0);
    if (admitted.isEmpty()) {
      return;
    }
    Exchange x = admitted.get();
    boolean midstream = x.faulted(FaultKind.MIDSTREAM);
    (midstream ? x.deployment().faulted : x.deployment().succeeded).increment();
    new SpeechStream(vertx, x.req(), request.format().silence(request.samples()), midstream ? 1 : -1)
        .start(request.format().contentType(), delayNanos(x, request.characters(), 0));
  }

  private void moderation(Exchange addressed, ModerationRequest request) {
    Optional<Exchange> admitted = admitWhole(addressed, request.tokens(), 0);
    if (admitted.isPresent()) {
      Exchange x = admitted.get();
      String json = ModerationJson.answer(newId("modr-"), x.deployment().config().name(), request, config.seed())
          .toString();
      reply(x, request.tokens(), 0, Replies.APPLICATION_JSON, json);
    }
  }

  /**
   * Admits a request answered in one piece and counts its outcome; empty when it was answered {@code
   * 429} or, under a midstream fault, dropped.
   */
  private Optional<Exchange> admitWhole(Exchange addressed, long inputTokens, long outputTokens) {
    Optional<Exchange> admitted = admission.admit(addressed, inputTokens, outputTokens);
    if (admitted.isPresent() && admitted.get().faulted(FaultKind.MIDSTREAM)) {
      admitted.get().deployment().faulted.increment();
      Replies.reset(admitted.get().req());
      return Optional.empty();
    }
    admitted.ifPresent(x -> x.deployment().succeeded.increment());
    return admitted;
  }

  /** Sends {@code body} with status 200 once the input is read and the output made, unless the client left. */
  private void reply(Exchange x, long inputTokens, long outputTokens, String contentType, String body) {
    HttpServerResponse res = x.req().response();
    res.setStatusCode(200).putHeader("content-type", contentType);
    long delay = delayNanos(x, inputTokens, outputTokens);
    if (delay <= 0) {
      res.end(body);
      return;
    }
    long timer = vertx.setTimer(Math.max(1, (delay + 999_999) / 1_000_000), id -> {
      if (!res.closed() && !res.ended()) {
        res.end(body);
      }
    });
    res.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private long delayNanos(Exchange x, long inputTokens, long outputTokens) {
    long work = config.timing().timeToFirstTokenNanos(inputTokens)
        + outputTokens * config.timing().nanosPerOutputToken() / OUTPUT_SPEEDUP;
    return work * x.latencyFactor(config.zeroLatency());
  }

  /** Whether the deployment's name or the body's {@code model} (lower-cased) passes {@code test}. */
  private static boolean named(Exchange x, JsonNode body, Predicate<String> test) {
    String model = body.path("model").asText("");
    return test.test(x.deployment().config().name().toLowerCase(Locale.ROOT))
        || test.test(model.toLowerCase(Locale.ROOT));
  }

  /** {@code prefix} and 32 hex digits, unique within this instance. */
  private String newId(String prefix) {
    long n = idSequence.incrementAndGet();
    return prefix + String.format("%016x%016x", RequestSeed.mix(idSalt ^ n), RequestSeed.of(idSalt, n));
  }
}
