package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The server-sent events of a streamed Responses API answer, as OpenAI sends them: each is
 * {@code event: <type>} then {@code data: <json>}, and every JSON carries its {@code type} and a
 * {@code sequence_number} counting from 0. In order: {@code response.created} and {@code
 * response.in_progress} (the response in progress), {@code response.output_item.added}, {@code
 * response.content_part.added}, one {@code response.output_text.delta} per output token, {@code
 * response.output_text.done}, {@code response.content_part.done}, {@code response.output_item.done}
 * and {@code response.completed} — or {@code response.incomplete} when {@code max_output_tokens}
 * or the content filter cut the output — with the finished response and its usage. Unlike chat there is no {@code [DONE]}.
 *
 * <p>Not thread-safe; one instance builds one plan.
 */
final class ResponseEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ResponseJson response;
  private final List<String> events = new ArrayList<>();

  private ResponseEvents(ResponseJson response) {
    this.response = response;
  }

  /** Every event of the streamed {@code response}, with the deltas as its content events. */
  static StreamPlan plan(ResponseJson response) {
    return new ResponseEvents(response).build();
  }

  private StreamPlan build() {
    add(event("response.created").set("response", response.inProgress()));
    add(event("response.in_progress").set("response", response.inProgress()));
    ObjectNode itemAdded = event("response.output_item.added").put("output_index", 0);
    add(itemAdded.set("item", response.message(false)));
    add(inContent("response.content_part.added").set("part", ResponseJson.outputText("")));
    int firstContent = events.size();
    for (String piece : response.pieces()) {
      add(inContent("response.output_text.delta").put("delta", piece));
    }
    add(inContent("response.output_text.done").put("text", response.text()));
    add(inContent("response.content_part.done").set("part", ResponseJson.outputText(response.text())));
    ObjectNode itemDone = event("response.output_item.done").put("output_index", 0);
    add(itemDone.set("item", response.message(true)));
    String last = response.incomplete() ? "response.incomplete" : "response.completed";
    add(event(last).set("response", response.finished()));
    return new StreamPlan(events, firstContent, response.pieces().size());
  }

  /** An event about the output text: it names the message, the output and the content part. */
  private ObjectNode inContent(String type) {
    return event(type).put("item_id", response.messageId()).put("output_index", 0).put("content_index", 0);
  }

  private ObjectNode event(String type) {
    ObjectNode json = JSON.createObjectNode();
    json.put("type", type);
    json.put("sequence_number", events.size());
    return json;
  }

  private void add(JsonNode json) {
    events.add("event: " + json.get("type").asText() + "\ndata: " + json + "\n\n");
  }
}
