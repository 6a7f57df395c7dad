package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one Realtime response, which answers with one assistant message of text. In order:
 * {@code response.created}; {@code response.output_item.added}, the item's announcement in the
 * conversation and {@code response.content_part.added}; one text delta per output token ({@code
 * response.output_text.delta} in GA, {@code response.text.delta} in beta); then the text's done event,
 * {@code response.content_part.done}, {@code response.output_item.done} (and GA's {@code
 * conversation.item.done}) and {@code response.done}, whose response carries the status and {@code
 * usage}. The closing events are built when they are sent, so that a cancelled response closes with
 * the text sent so far.
 *
 * <p>Status: {@code completed}, or {@code incomplete} when {@code max_output_tokens} cut the text,
 * {@code cancelled} after {@code response.cancel}, {@code failed} when the deployment's rate limit
 * refused the response. Not thread-safe; used from its session's event loop.
 */
final class RealtimeTurn {
  static final String COMPLETED = "completed";
  static final String INCOMPLETE = "incomplete";
  static final String CANCELLED = "cancelled";
  static final String FAILED = "failed";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RealtimeEvents events;
  private final String responseId;
  private final String itemId;
  private final String conversationId;
  private final String previousItemId;
  private final List<String> pieces;
  private final RealtimeConversation.InputTokens input;
  private final JsonNode modalities;
  private final JsonNode maxOutputTokens;
  private final boolean capped;

  /**
   * @param previousItemId the conversation's newest item before this response, or null
   * @param pieces the output text, one token a piece
   * @param modalities the response's output modalities, echoed
   * @param maxOutputTokens the cap in force, an integer or {@code "inf"}, echoed
   * @param capped whether the cap cut the text (the response then ends {@code incomplete})
   */
  RealtimeTurn(RealtimeEvents events, String conversationId, String previousItemId, List<String> pieces,
      RealtimeConversation.InputTokens input, JsonNode modalities, JsonNode maxOutputTokens, boolean capped) {
    this.events = events;
    this.responseId = events.newId("resp_");
    this.itemId = events.newId("item_");
    this.conversationId = conversationId;
    this.previousItemId = previousItemId;
    this.pieces = List.copyOf(pieces);
    this.input = input;
    this.modalities = modalities;
    this.maxOutputTokens = maxOutputTokens;
    this.capped = capped;
  }

  String responseId() {
    return responseId;
  }

  RealtimeConversation.InputTokens input() {
    return input;
  }

  /** Output tokens of the whole text: one a delta. */
  int outputTokens() {
    return pieces.size();
  }

  /** How the response ends when every delta is sent. */
  String finalStatus() {
    return capped ? INCOMPLETE : COMPLETED;
  }

  /** {@code response.created}, with the response in progress. */
  ObjectNode created() {
    return events.event("response.created").set("response", response("in_progress", null, List.of(), null));
  }

  /** The events between {@code response.created} and the first delta. */
  List<ObjectNode> opening() {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode item = item(0, "in_progress");
    out.add(events.event("response.output_item.added").put("response_id", responseId).put("output_index", 0)
        .set("item", item));
    out.addAll(events.itemAdded(item, previousItemId, false));
    out.add(inContent("response.content_part.added").set("part", part("")));
    return out;
  }

  /** The text delta carrying piece {@code index}. */
  ObjectNode delta(int index) {
    return inContent(events.dialect().textDelta()).put("delta", pieces.get(index));
  }

  /** The closing events after {@code sent} deltas, ending with {@code response.done} in {@code status}. */
  List<ObjectNode> closing(int sent, String status) {
    String text = text(sent);
    String itemStatus = status.equals(COMPLETED) ? COMPLETED : INCOMPLETE;
    ObjectNode item = item(sent, itemStatus);
    List<ObjectNode> out = new ArrayList<>();
    out.add(inContent(events.dialect().textDone()).put("text", text));
    out.add(inContent("response.content_part.done").set("part", part(text)));
    out.add(events.event("response.output_item.done").put("response_id", responseId).put("output_index", 0)
        .set("item", item));
    if (events.dialect().itemDone().isPresent()) {
      out.add(events.itemDone(item, previousItemId));
    }
    ObjectNode details = switch (status) {
      case INCOMPLETE -> JSON.createObjectNode().put("type", INCOMPLETE).put("reason", "max_output_tokens");
      case CANCELLED -> JSON.createObjectNode().put("type", CANCELLED).put("reason", "client_cancelled");
      default -> null;
    };
    ObjectNode usage = RealtimeEvents.usage(input, sent);
    out.add(events.event("response.done").set("response", response(status, details, List.of(item), usage)));
    return out;
  }

  /**
   * {@code response.done} for a response the deployment's rate limit refused: {@code failed}, no
   * output, zero usage, and OpenAI's {@code rate_limit_exceeded} error in its status details.
   */
  ObjectNode failed(String message) {
    ObjectNode details = JSON.createObjectNode().put("type", FAILED);
    details.putObject("error").put("type", "tokens").put("code", "rate_limit_exceeded").put("message", message);
    ObjectNode usage = RealtimeEvents.usage(new RealtimeConversation.InputTokens(0, 0), 0);
    return events.event("response.done").set("response", response(FAILED, details, List.of(), usage));
  }

  /** The assistant message after {@code sent} pieces, as the conversation keeps it. */
  ObjectNode item(int sent, String status) {
    ObjectNode item = JSON.createObjectNode();
    item.put("id", itemId).put("object", "realtime.item").put("type", "message").put("status", status);
    item.put("role", "assistant");
    item.putArray("content").add(part(text(sent)));
    return item;
  }

  /** The conversation item this response leaves after {@code sent} pieces. */
  RealtimeConversation.Item conversationItem(int sent, String status) {
    String itemStatus = status.equals(COMPLETED) ? COMPLETED : INCOMPLETE;
    return new RealtimeConversation.Item(itemId, item(sent, itemStatus), sent, 0);
  }

  private String text(int sent) {
    return String.join("", pieces.subList(0, sent));
  }

  private ObjectNode part(String text) {
    return JSON.createObjectNode().put("type", events.dialect().outputTextPart()).put("text", text);
  }

  private ObjectNode inContent(String type) {
    return events.event(type).put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
        .put("content_index", 0);
  }

  private ObjectNode response(String status, ObjectNode details, List<ObjectNode> output, ObjectNode usage) {
    ObjectNode r = JSON.createObjectNode();
    r.put("object", "realtime.response").put("id", responseId).put("status", status);
    r.set("status_details", details);
    output.forEach(r.putArray("output")::add);
    r.put("conversation_id", conversationId);
    r.set(events.dialect().modalitiesField(), modalities.deepCopy());
    r.set("max_output_tokens", maxOutputTokens);
    r.putNull("metadata");
    r.set("usage", usage);
    return r;
  }
}
