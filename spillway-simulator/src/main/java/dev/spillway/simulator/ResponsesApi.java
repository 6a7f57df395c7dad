package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI's Responses API on top of the simulator's chat machinery: {@code POST responses} is admitted,
 * faulted, generated and paced exactly like a chat completion on the same deployment (input tokens
 * counted alike, {@code max_output_tokens} standing in for {@code max_tokens}), and answers a
 * {@code response} object or its event stream; stored responses can then be read, listed and deleted
 * by id on this simulator instance only (see {@link StoredResponses}).
 *
 * <p>A response is stored when it is admitted, already in its finished state, unless {@code store}
 * is false or a midstream fault cuts its stream. A {@code previous_response_id} must name a response
 * stored here; its input and output tokens are added to the new call's input tokens, as OpenAI bills
 * the re-read conversation. Background mode is not simulated, so cancelling always fails with 400.
 *
 * <p>The simulated content filter ({@link PromptFilter}) applies as for chat: a blocked prompt gets Azure's {@code 400
 * content_filter}; a filtered output is cut short and the response ends {@code incomplete} with {@code
 * incomplete_details.reason: content_filter}. The Responses API carries no filter annotations.
 *
 * <p>Thread-safe; the create and call methods run on the request's event loop and never block.
 */
final class ResponsesApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_PAGE = 20;
  private static final int MAX_PAGE = 100;

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final Clock clock;
  private final ExchangeAdmission admission;
  private final StoredResponses store;
  private final PromptFilter promptFilter;
  /** Random per instance so that two simulators with the same seed never hand out the same id. */
  private final long idSalt = new SecureRandom().nextLong();
  private final AtomicLong idSequence = new AtomicLong();

  ResponsesApi(Vertx vertx, SimulatorConfig config, Clock clock, ExchangeAdmission admission, StoredResponses store,
      PromptFilter promptFilter) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.admission = admission;
    this.store = store;
    this.promptFilter = promptFilter;
  }

  /** Answers {@code POST responses} for an exchange whose deployment, kind and fault are settled. */
  void create(Exchange addressed, ResponseRequest request) {
    long inputTokens = request.inputTokens();
    if (request.previousResponseId().isPresent()) {
      String previousId = request.previousResponseId().get();
      Optional<StoredResponses.Stored> previous = store.get(previousId);
      if (previous.isEmpty()) {
        Replies.send(addressed.req().response(), 404, AzureErrors.typed(
            "Previous response with id '" + previousId + "' not found.", "invalid_request_error",
            "previous_response_id", "previous_response_not_found"));
        return;
      }
      inputTokens += previous.get().conversationTokens();
    }
    FilterVerdict verdict = promptFilter.judge(addressed.req(), UserText.of(request));
    if (promptFilter.refused(addressed, verdict, inputTokens)) {
      return;
    }
    int outputTokens = request.maxOutputTokens().orElseGet(() -> CompletionText.defaultLength(addressed.random()));
    Optional<Exchange> admitted = admission.admit(addressed, inputTokens, outputTokens);
    if (admitted.isEmpty()) {
      return;
    }
    Exchange x = admitted.get();
    long start = System.nanoTime();
    boolean midstream = x.faulted(FaultKind.MIDSTREAM);
    if (midstream) {
      x.deployment().faulted.increment();
    } else {
      x.deployment().succeeded.increment();
      x.deployment().responsesCreated.increment();
      if (verdict.completionFiltered()) {
        x.deployment().completionsFiltered.increment();
      }
    }
    String deployment = x.deployment().config().name();
    List<String> pieces = CompletionText.pieces(x.random(), outputTokens);
    if (verdict.completionFiltered()) {
      pieces = pieces.subList(0, FilterVerdict.filteredLength(outputTokens));
    }
    ResponseJson response = new ResponseJson(newId("resp_"), newId("msg_"), clock.instant().getEpochSecond(),
        deployment, request, pieces, inputTokens, verdict.completionFiltered());
    ObjectNode finished = response.finished();
    if (request.store() && !midstream) {
      store.put(new StoredResponses.Stored(response.id(), deployment, finished, withIds(request.input()),
          inputTokens + outputTokens));
    }
    long factor = x.latencyFactor(config.zeroLatency());
    long ttft = config.timing().timeToFirstTokenNanos(inputTokens) * factor;
    long perToken = config.timing().nanosPerOutputToken() * factor;
    if (request.stream() || midstream) {
      StreamPlan plan = ResponseEvents.plan(response);
      new SseStream(vertx, x.req(), plan, start, ttft, perToken, midstream ? plan.midstreamCut() : -1).start();
    } else {
      Replies.replyAfter(vertx, x.req(), ttft + (pieces.size() - 1) * perToken, finished.toString());
    }
  }

  /** Answers a call on a stored response: retrieve, delete, list input items or cancel. */
  void call(HttpServerRequest req, ResponseCall call) {
    HttpServerResponse res = req.response();
    String id = call.responseId();
    Optional<StoredResponses.Stored> stored = store.get(id);
    if (stored.isEmpty()) {
      notFound(res, id);
      return;
    }
    res.putHeader(SimulatorHandler.DEPLOYMENT_NAME_HEADER, stored.get().deployment());
    switch (call.target()) {
      case RESPONSE -> {
        if (req.method() != HttpMethod.DELETE) {
          Replies.send(res, 200, stored.get().response().toString());
        } else if (store.remove(id)) {
          ObjectNode deleted = JSON.createObjectNode().put("id", id).put("object", "response.deleted").put("deleted", true);
          Replies.send(res, 200, deleted.toString());
        } else {
          notFound(res, id); // deleted by a concurrent call
        }
      }
      case INPUT_ITEMS -> {
        try {
          Replies.send(res, 200, inputItems(stored.get().inputItems(), req).toString());
        } catch (InvalidRequestException e) {
          Replies.send(res, 400, AzureErrors.typed(e.getMessage(), "invalid_request_error", e.param(), null));
        }
      }
      case CANCEL -> Replies.send(res, 400, AzureErrors.typed(
          "Only responses created with background mode can be cancelled; response '" + id + "' was not.",
          "invalid_request_error", null, null));
    }
  }

  /**
   * A page of {@code items} as OpenAI lists them: {@code order} {@code desc} (the default) or {@code
   * asc}, starting after the item {@code after} names, at most {@code limit} (1 to 100, default 20).
   */
  private static ObjectNode inputItems(List<ObjectNode> items, HttpServerRequest req) {
    int limit = DEFAULT_PAGE;
    String limitParam = req.getParam("limit");
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam.strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw new InvalidRequestException("Invalid 'limit': expected an integer between 1 and " + MAX_PAGE + ".", "limit");
      }
    }
    String order = Optional.ofNullable(req.getParam("order")).orElse("desc");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw new InvalidRequestException("Invalid value for 'order': expected 'asc' or 'desc'.", "order");
    }
    List<ObjectNode> ordered = new ArrayList<>(items);
    if (order.equals("desc")) {
      Collections.reverse(ordered);
    }
    int from = 0;
    String after = req.getParam("after");
    if (after != null) {
      from = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (ordered.get(i).path("id").asText().equals(after)) {
          from = i + 1;
        }
      }
    }
    List<ObjectNode> page = ordered.subList(from, Math.min(ordered.size(), from + limit));
    ObjectNode list = JSON.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    page.forEach(data::add);
    list.put("first_id", page.isEmpty() ? null : page.getFirst().path("id").asText());
    list.put("last_id", page.isEmpty() ? null : page.getLast().path("id").asText());
    list.put("has_more", from + page.size() < ordered.size());
    return list;
  }

  /** The input items as stored: each gets a {@code msg_...} id first, unless it came with one. */
  private List<ObjectNode> withIds(List<ObjectNode> input) {
    List<ObjectNode> items = new ArrayList<>(input.size());
    for (ObjectNode item : input) {
      ObjectNode stored = JSON.createObjectNode();
      stored.put("id", newId("msg_"));
      stored.setAll(item.deepCopy());
      items.add(stored);
    }
    return items;
  }

  /** {@code prefix} and 48 hex digits; unique within this instance, and across instances but for a 2^-64 chance. */
  private String newId(String prefix) {
    long n = idSequence.incrementAndGet();
    long unique = RequestSeed.mix(idSalt ^ n); // a bijection of n: never repeats within the instance
    return prefix + String.format("%016x%016x%016x", unique, RequestSeed.of(idSalt, n), RequestSeed.mix(unique + n));
  }

  private static void notFound(HttpServerResponse res, String id) {
    Replies.send(res, 404, AzureErrors.typed("Response with id '" + id + "' not found.", "invalid_request_error",
        null, null));
  }
}
