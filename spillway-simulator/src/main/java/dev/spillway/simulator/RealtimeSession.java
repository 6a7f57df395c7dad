package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One Realtime API session on an accepted WebSocket: announces itself with {@code session.created},
 * then answers the client's JSON events one by one. It keeps the session settings, the conversation
 * and the input audio buffer (its length only: audio is counted, never kept). A refused event gets
 * an {@code error} event and the session stays open, as on OpenAI; so does a binary frame, which the
 * Realtime API never takes.
 *
 * <p>Besides OpenAI's events it takes the test hook {@code {"type":"sim.close","code":4000,"reason":"x"}},
 * on which the server closes the socket with that code and reason, so that a gateway's passing on of
 * a backend's close can be tested.
 *
 * <p>Confined to the socket's event loop, except {@link #close}, which any thread may call.
 */
final class RealtimeSession {
  /** OpenAI's upper bound for a response's {@code max_output_tokens}. */
  static final int MAX_OUTPUT_TOKENS = 4096;
  /** Seconds until {@code expires_at}; informative only, the simulator does not end sessions. */
  static final long SESSION_SECONDS = 30 * 60;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLIENT_EVENTS = List.of("session.update", "conversation.item.create",
      "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear", "response.create",
      "response.cancel", "sim.close");
  private static final List<String> CAP_FIELDS = List.of("max_output_tokens", "max_response_output_tokens");

  private final RealtimeApi api;
  private final ServerWebSocket ws;
  private final DeploymentRuntime deployment;
  private final RealtimeCounters counters;
  private final RealtimeEvents events;
  private final ObjectNode session;
  private final String conversationId;
  private final RealtimeConversation conversation = new RealtimeConversation();
  private long audioBufferBytes;
  private RealtimeResponseStream active;

  RealtimeSession(RealtimeApi api, ServerWebSocket ws, DeploymentRuntime deployment, RealtimeCounters counters,
      RealtimeDialect dialect) {
    this.api = api;
    this.ws = ws;
    this.deployment = deployment;
    this.counters = counters;
    this.events = new RealtimeEvents(api.ids(), dialect);
    this.session = dialect.defaultSession(events.newId("sess_"), deployment.config().name(),
        api.epochSeconds() + SESSION_SECONDS);
    this.conversationId = events.newId("conv_");
  }

  /** Installs the handlers and sends {@code session.created}. */
  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.exceptionHandler(e -> { /* a broken connection also closes: the close handler cleans up */ });
    ws.closeHandler(v -> onClosed());
    send(events.event("session.created").set("session", session.deepCopy()));
  }

  /** Closes the socket with {@code code} and {@code reason}; callable from any thread. */
  Future<Void> close(short code, String reason) {
    return ws.close(code, reason);
  }

  private void onText(String text) {
    JsonNode event;
    try {
      event = JSON.readTree(text);
    } catch (IOException e) {
      event = null;
    }
    if (event == null || !event.isObject()) {
      send(events.error("invalid_json", "The server could not parse the event: each message must be one JSON object.",
          null, null));
      return;
    }
    JsonNode eventId = event.get("event_id");
    try {
      dispatch(event);
    } catch (RealtimeEventException e) {
      send(events.error(e.code(), e.getMessage(), e.param(), eventId != null && eventId.isTextual() ? eventId.asText() : null));
    }
  }

  private void onBinary(Buffer frame) {
    send(events.error("binary_frame_not_supported", "The Realtime API takes JSON text messages; a binary message of "
        + frame.length() + " bytes was ignored.", null, null));
  }

  private void dispatch(JsonNode event) {
    JsonNode type = event.get("type");
    if (type == null || !type.isTextual()) {
      throw new RealtimeEventException("invalid_event", "The event has no 'type'.", "type");
    }
    switch (type.asText()) {
      case "session.update" -> updateSession(event);
      case "conversation.item.create" -> createItem(event);
      case "input_audio_buffer.append" -> audioBufferBytes += RealtimeConversation.audioBytes(
          required(event, "audio", JsonNode::isTextual).asText(), "audio");
      case "input_audio_buffer.commit" -> commitAudio();
      case "input_audio_buffer.clear" -> {
        audioBufferBytes = 0;
        send(events.event("input_audio_buffer.cleared"));
      }
      case "response.create" -> createResponse(event);
      case "response.cancel" -> {
        if (active == null) {
          throw new RealtimeEventException("response_cancel_not_active", "Cancellation failed: no active response found.",
              null);
        }
        active.cancel();
      }
      case "sim.close" -> simClose(event);
      default -> throw new RealtimeEventException("invalid_event", "Invalid value: '" + type.asText()
          + "'. Supported values are: " + String.join(", ", CLIENT_EVENTS) + ".", "type");
    }
  }

  private void updateSession(JsonNode event) {
    ObjectNode update = (ObjectNode) required(event, "session", JsonNode::isObject).deepCopy();
    if (update.has("instructions") && !update.get("instructions").isTextual() && !update.get("instructions").isNull()) {
      throw new RealtimeEventException("invalid_type", "Invalid type for 'session.instructions': expected a string.",
          "session.instructions");
    }
    cap(update, "session");
    update.remove(List.of("id", "object", "type", "expires_at"));
    session.setAll(update);
    send(events.event("session.updated").set("session", session.deepCopy()));
  }

  private void createItem(JsonNode event) {
    JsonNode item = event.get("item");
    JsonNode givenId = item == null ? null : item.get("id");
    String id = givenId != null && givenId.isTextual() && !givenId.asText().isBlank()
        ? givenId.asText() : events.newId("item_");
    add(RealtimeConversation.clientItem(item, id, events.dialect().inputAudioBytesPerSecond(session)));
  }

  private void commitAudio() {
    long bytesPerSecond = events.dialect().inputAudioBytesPerSecond(session);
    long millis = audioBufferBytes * 1000 / bytesPerSecond;
    if (millis < 100) {
      throw new RealtimeEventException("input_audio_buffer_commit_empty", "Error committing input audio buffer: "
          + "buffer too small. Expected at least 100ms of audio, but buffer only has " + millis + "ms of audio.", null);
    }
    String id = events.newId("item_");
    send(events.event("input_audio_buffer.committed").put("previous_item_id", conversation.lastId().orElse(null))
        .put("item_id", id));
    add(RealtimeConversation.committedAudio(id, audioBufferBytes, bytesPerSecond));
    audioBufferBytes = 0;
  }

  private void add(RealtimeConversation.Item item) {
    String previous = conversation.lastId().orElse(null);
    conversation.add(item);
    events.itemAdded(item.json(), previous, true).forEach(this::send);
  }

  private void createResponse(JsonNode event) {
    if (active != null) {
      throw new RealtimeEventException("conversation_already_has_active_response", "Conversation already has an active "
          + "response in progress: " + active.responseId() + ". Wait until the response is finished before creating "
          + "a new one.", null);
    }
    JsonNode given = event.get("response");
    if (given != null && !given.isNull() && !given.isObject()) {
      throw new RealtimeEventException("invalid_type", "Invalid type for 'response': expected an object.", "response");
    }
    JsonNode options = given != null && given.isObject() ? given : JSON.createObjectNode();
    String instructions = options.path("instructions").isTextual()
        ? options.get("instructions").asText() : session.path("instructions").asText("");
    JsonNode cap = cap(options, "response").or(() -> cap(session, "session")).orElse(TextNode.valueOf("inf"));
    String modalitiesField = events.dialect().modalitiesField();
    JsonNode modalities = options.path(modalitiesField).isArray() ? options.get(modalitiesField)
        : session.path(modalitiesField).isArray() ? session.get(modalitiesField) : JSON.createArrayNode().add("text");
    RealtimeConversation.InputTokens input = conversation.inputTokens(instructions);
    SplittableRandom random = new SplittableRandom(conversation.seed(api.config().seed(), instructions));
    int natural = CompletionText.defaultLength(random);
    int outputTokens = cap.isInt() ? Math.min(natural, cap.asInt()) : natural;
    RealtimeTurn turn = new RealtimeTurn(events, conversationId, conversation.lastId().orElse(null),
        CompletionText.pieces(random, outputTokens), input, modalities, cap, outputTokens < natural);
    Admission admission = deployment.limiter().tryAdmit(input.total() + outputTokens, api.now());
    if (!admission.admitted()) {
      counters.responsesThrottled.increment();
      send(turn.created());
      send(turn.failed("This response would exceed the " + admission.exceededLimit() + " of deployment "
          + deployment.config().name() + ". Please retry after " + admission.retryAfterSeconds() + " seconds."));
      return;
    }
    long factor = api.config().zeroLatency() ? 0 : 1;
    Timing timing = api.config().timing();
    active = new RealtimeResponseStream(api.vertx(), ws, turn, timing.timeToFirstTokenNanos(input.total()) * factor,
        timing.nanosPerOutputToken() * factor, this::responseEnded);
    active.start();
  }

  private void responseEnded(RealtimeTurn turn, int sentDeltas, String status) {
    active = null;
    conversation.add(turn.conversationItem(sentDeltas, status));
    long input = turn.input().total();
    counters.responsesDone.increment();
    counters.inputTokens.add(input);
    counters.audioInputTokens.add(turn.input().audio());
    counters.outputTokens.add(sentDeltas);
    deployment.promptTokens.add(input);
    deployment.completionTokens.add(sentDeltas);
  }

  private void simClose(JsonNode event) {
    JsonNode codeNode = event.get("code");
    if (codeNode != null && !codeNode.isInt()) {
      throw new RealtimeEventException("invalid_type", "Invalid type for 'code': expected an integer.", "code");
    }
    int code = codeNode == null ? 1000 : codeNode.asInt();
    if (code != 1000 && (code < 3000 || code > 4999)) {
      throw new RealtimeEventException("invalid_value", "Invalid 'code': a server closes with 1000 or a code from 3000 "
          + "to 4999, got " + code + ".", "code");
    }
    String reason = event.path("reason").asText("");
    if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
      throw new RealtimeEventException("invalid_value", "Invalid 'reason': at most 123 bytes of UTF-8.", "reason");
    }
    ws.close((short) code, reason);
  }

  /** The output-token cap {@code node} sets under either name, validated; empty when it sets none. */
  private static Optional<JsonNode> cap(JsonNode node, String where) {
    for (String field : CAP_FIELDS) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      boolean valid = value.isInt() ? value.asInt() >= 1 && value.asInt() <= MAX_OUTPUT_TOKENS
          : value.isTextual() && value.asText().equals("inf");
      if (!valid) {
        throw new RealtimeEventException("invalid_value", "Invalid '" + where + "." + field + "': expected an integer "
            + "from 1 to " + MAX_OUTPUT_TOKENS + ", or 'inf'.", where + "." + field);
      }
      return Optional.of(value);
    }
    return Optional.empty();
  }

  private static JsonNode required(JsonNode event, String field, java.util.function.Predicate<JsonNode> ok) {
    JsonNode value = event.get(field);
    if (value == null || !ok.test(value)) {
      throw new RealtimeEventException("missing_required_parameter", "Missing or invalid required parameter: '"
          + field + "'.", field);
    }
    return value;
  }

  private void onClosed() {
    if (active != null) {
      active.abandon();
      active = null;
    }
    api.closed(this, counters);
  }

  private void send(ObjectNode event) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(event.toString());
    }
  }
}
