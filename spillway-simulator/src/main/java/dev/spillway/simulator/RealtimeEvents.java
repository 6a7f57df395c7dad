package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the server events of one Realtime session in its dialect: each a JSON object with its
 * {@code type} and a fresh {@code event_id}. Used from its session's event loop; stateless but for
 * the ids, which are thread-safe.
 */
final class RealtimeEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RealtimeIds ids;
  private final RealtimeDialect dialect;

  RealtimeEvents(RealtimeIds ids, RealtimeDialect dialect) {
    this.ids = ids;
    this.dialect = dialect;
  }

  RealtimeDialect dialect() {
    return dialect;
  }

  /** A new id with {@code prefix}, e.g. {@code item_}. */
  String newId(String prefix) {
    return ids.next(prefix);
  }

  /** {@code {"type":type,"event_id":"event_..."}}, to be filled in. */
  ObjectNode event(String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    e.put("event_id", ids.next("event_"));
    return e;
  }

  /**
   * The {@code error} event: {@code {"type":"error","event_id",error:{"type":"invalid_request_error",
   * "code","message","param","event_id"}}}, where the inner {@code event_id} is the client event's, if it had one.
   */
  ObjectNode error(String code, String message, String param, String clientEventId) {
    ObjectNode e = event("error");
    ObjectNode error = e.putObject("error");
    error.put("type", "invalid_request_error");
    error.put("code", code);
    error.put("message", message);
    error.put("param", param);
    error.put("event_id", clientEventId);
    return e;
  }

  /**
   * The events announcing {@code item} in the conversation after {@code previousItemId} (null: first):
   * {@code conversation.item.created} in beta, {@code conversation.item.added} then (when {@code
   * complete}) {@code conversation.item.done} in GA.
   */
  List<ObjectNode> itemAdded(ObjectNode item, String previousItemId, boolean complete) {
    List<ObjectNode> out = new ArrayList<>(2);
    ObjectNode added = event(dialect.itemAdded()).put("previous_item_id", previousItemId);
    out.add(added.set("item", item.deepCopy()));
    if (complete) {
      dialect.itemDone().ifPresent(type -> out.add(itemDone(item, previousItemId)));
    }
    return out;
  }

  /** GA's {@code conversation.item.done} for {@code item}. */
  ObjectNode itemDone(ObjectNode item, String previousItemId) {
    ObjectNode done = event(dialect.itemDone().orElseThrow()).put("previous_item_id", previousItemId);
    return done.set("item", item.deepCopy());
  }

  /**
   * A response's {@code usage}: totals, then {@code input_token_details} (cached, text, audio, image)
   * and {@code output_token_details} (text, audio). Realtime spells these without the {@code s} that
   * the Responses API's {@code input_tokens_details} has.
   */
  static ObjectNode usage(RealtimeConversation.InputTokens input, long outputTokens) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("total_tokens", input.total() + outputTokens);
    usage.put("input_tokens", input.total());
    usage.put("output_tokens", outputTokens);
    ObjectNode in = usage.putObject("input_token_details");
    in.put("cached_tokens", 0).put("text_tokens", input.text()).put("audio_tokens", input.audio()).put("image_tokens", 0);
    in.putObject("cached_tokens_details").put("text_tokens", 0).put("audio_tokens", 0).put("image_tokens", 0);
    usage.putObject("output_token_details").put("text_tokens", outputTokens).put("audio_tokens", 0);
    return usage;
  }
}
