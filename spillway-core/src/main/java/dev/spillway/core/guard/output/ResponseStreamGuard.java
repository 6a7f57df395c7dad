package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Guards one streamed Responses API answer ({@code event: response.*}) on its way to the client, the way {@link
 * StreamGuard} guards a chat stream: the text of each {@code output_text} part, sent as {@code
 * response.output_text.delta} events, is held in a {@link HeldText} and released a window at a time, checked and
 * masked, as one delta event per window. So the client gets the text in pieces of about a window, never later than a
 * window plus the overlap behind the upstream.
 *
 * <p>The events that repeat a text whole ({@code response.output_text.done}, {@code response.content_part.done}, {@code
 * response.output_item.done}, and the response in {@code response.completed} or {@code response.incomplete}) carry the
 * text as released, masked; a text that arrives only whole (no deltas) is checked there. Every other event first
 * releases the held texts (so events keep their order), then goes on as it came. Events are numbered anew, from the
 * upstream's first {@code sequence_number}, since windows merge deltas; an event whose number needs no change goes out
 * as its own bytes.
 *
 * <p>A BLOCK finding stops the whole response, as in a whole answer ({@link AnswerGuard}: a response has one status):
 * the held text is dropped, and the blocked part's endings go out at once ({@code response.output_text.done}, {@code
 * response.content_part.done} with the text released so far, {@code response.output_item.done} with the item {@code
 * incomplete}); every later output event is dropped, and the upstream's last event goes out as {@code
 * response.incomplete} with {@code incomplete_details.reason: content_filter}, the texts as released, items the client
 * never saw removed, and the upstream's usage. Errors ({@code error}, {@code response.failed}) still go out.
 *
 * <p>Refusals, reasoning summaries and function-call arguments pass unchecked. The released text of each part is kept
 * (the whole-text events need it): memory grows with the answer, as the upstream's own whole-text events do. Not
 * thread-safe: one per stream.
 */
public final class ResponseStreamGuard extends TextStreamGuard {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String DELTA = "response.output_text.delta";

  private final Map<String, Part> parts = new LinkedHashMap<>();
  /** The output items announced to the client, by output index. */
  private final TreeMap<Integer, ObjectNode> items = new TreeMap<>();
  private long nextSequence = -1;
  private boolean deltaLogprobs;
  private boolean blocked;

  ResponseStreamGuard(OutputGuard guard) {
    super(guard);
  }

  @Override
  boolean event(byte[] raw, String data) {
    if (data == null) {
      return pass(raw);
    }
    JsonNode node;
    try {
      node = JSON.readTree(data);
    } catch (IOException e) {
      node = null;
    }
    if (!(node instanceof ObjectNode event)) {
      return pass(raw);
    }
    String type = event.path("type").asText("");
    if (nextSequence < 0 && event.path("sequence_number").canConvertToLong()) {
      nextSequence = event.get("sequence_number").asLong();
    }
    if (type.equals(DELTA) && !blocked) {
      delta(event);
      return false;
    }
    if (!type.equals("response.output_text.done")) {
      releaseAll();
    }
    boolean goesOnBlocked = type.equals("response.completed") || type.equals("response.incomplete")
        || type.equals("error") || type.equals("response.failed");
    if (blocked && !goesOnBlocked) {
      return false;
    }
    boolean changed = switch (type) {
      case "response.output_text.done" -> textDone(event);
      case "response.content_part.done" -> partDone(event);
      case "response.output_item.added" -> itemAdded(event);
      case "response.output_item.done" -> rewriteItem(event.get("item"), event.path("output_index").asInt(-1));
      case "response.completed", "response.incomplete" -> finished(event);
      default -> false;
    };
    if (blocked && !goesOnBlocked) {
      // This event's own text blocked: its endings went out instead.
      return false;
    }
    return send(raw, event, changed);
  }

  private void delta(ObjectNode event) {
    deltaLogprobs |= event.has("logprobs");
    Part part = part(event);
    part.held.append(event.path("delta").asText(""));
    endIfBlocked(part);
  }

  private boolean textDone(ObjectNode event) {
    Part part = parts.get(key(event.path("output_index").asInt(-1), event.path("content_index").asInt(-1)));
    if (part == null) {
      // The text came whole, without deltas: checked now, and sent as one delta first.
      part = part(event);
      part.held.append(event.path("text").asText(""));
    }
    part.held.flush();
    endIfBlocked(part);
    event.put("text", part.released.toString());
    event.remove("logprobs");
    return true;
  }

  private boolean partDone(ObjectNode event) {
    Part part = parts.get(key(event.path("output_index").asInt(-1), event.path("content_index").asInt(-1)));
    return event.get("part") instanceof ObjectNode p && rewriteText(p, part);
  }

  private boolean itemAdded(ObjectNode event) {
    if (event.get("item") instanceof ObjectNode item) {
      items.put(event.path("output_index").asInt(-1), item.deepCopy());
    }
    return false;
  }

  /** Puts the released texts into a message item's {@code output_text} parts; whether anything changed. */
  private boolean rewriteItem(JsonNode node, int outputIndex) {
    if (!(node instanceof ObjectNode item) || !item.path("type").asText("").equals("message")) {
      return false;
    }
    boolean changed = false;
    int contentIndex = 0;
    for (JsonNode p : item.path("content")) {
      if (p instanceof ObjectNode content) {
        changed |= rewriteText(content, parts.get(key(outputIndex, contentIndex)));
      }
      contentIndex++;
    }
    if (blocked && item.has("status")) {
      item.put("status", "incomplete");
      changed = true;
    }
    return changed;
  }

  private boolean rewriteText(ObjectNode content, Part part) {
    if (!content.path("type").asText("").equals("output_text") || !content.path("text").isTextual()) {
      return false;
    }
    String text = content.get("text").textValue();
    String released = part != null ? part.released.toString() : blocked ? "" : checkedWhole(text);
    if (released.equals(text) && !(blocked && content.has("logprobs"))) {
      return false;
    }
    content.put("text", released);
    content.remove("logprobs");
    if (blocked) {
      content.putArray("annotations");
    }
    return true;
  }

  /** A text no delta carried, checked whole: masked, or empty when it blocks (which stops the response). */
  private String checkedWhole(String text) {
    List<GuardFinding> found = guard.inspect(text);
    found.forEach(this::found);
    if (found.stream().anyMatch(f -> f.action() == GuardAction.BLOCK)) {
      blocked = true;
      return "";
    }
    return Placeholders.spans(found, text.length()).isEmpty() ? text : Placeholders.mask(text, found);
  }

  private boolean finished(ObjectNode event) {
    if (!(event.get("response") instanceof ObjectNode response)) {
      return false;
    }
    boolean changed = false;
    if (response.get("output") instanceof ArrayNode output) {
      ArrayNode kept = output.arrayNode();
      int index = 0;
      for (JsonNode item : output) {
        if (!blocked || items.containsKey(index)) {
          changed |= rewriteItem(item, index);
          kept.add(item);
        } else {
          changed = true;
        }
        index++;
      }
      response.set("output", kept);
    }
    if (blocked) {
      event.put("type", "response.incomplete");
      response.put("status", "incomplete");
      response.putObject("incomplete_details").put("reason", "content_filter");
      changed = true;
    }
    return changed;
  }

  /** Once a part's text blocks: the response is stopped, and the part's endings go out now. */
  private void endIfBlocked(Part part) {
    if (blocked || !part.held.blocked()) {
      return;
    }
    blocked = true;
    String text = part.released.toString();
    write(part.event("response.output_text.done").put("text", text));
    ObjectNode done = part.event("response.content_part.done");
    done.putObject("part").put("type", "output_text").put("text", text).putArray("annotations");
    write(done);
    ObjectNode item = items.get(part.outputIndex);
    if (item != null) {
      ObjectNode ended = item.deepCopy();
      ended.put("status", "incomplete");
      ArrayNode content = ended.putArray("content");
      parts.values().stream().filter(p -> p.outputIndex == part.outputIndex).forEach(p ->
          content.addObject().put("type", "output_text").put("text", p.released.toString()).putArray("annotations"));
      ObjectNode itemDone = JSON.createObjectNode().put("type", "response.output_item.done");
      itemDone.put("output_index", part.outputIndex).set("item", ended);
      write(itemDone);
    }
  }

  @Override
  void releaseAll() {
    for (Part p : parts.values()) {
      if (blocked) {
        return;
      }
      p.held.flush();
      endIfBlocked(p);
    }
  }

  private Part part(ObjectNode event) {
    int outputIndex = event.path("output_index").asInt(-1);
    int contentIndex = event.path("content_index").asInt(-1);
    return parts.computeIfAbsent(key(outputIndex, contentIndex),
        k -> new Part(event.path("item_id").asText(""), outputIndex, contentIndex));
  }

  private static String key(int outputIndex, int contentIndex) {
    return outputIndex + ":" + contentIndex;
  }

  /** Sends an event: as its own bytes when neither it nor its number changed, else written anew. */
  private boolean send(byte[] raw, ObjectNode event, boolean changed) {
    JsonNode number = event.get("sequence_number");
    if (!changed && (number == null || !number.canConvertToLong() || number.asLong() == nextSequence)) {
      if (number != null && number.canConvertToLong()) {
        nextSequence++;
      }
      out.writeBytes(raw);
      return true;
    }
    write(event);
    return false;
  }

  private void write(ObjectNode event) {
    if (nextSequence >= 0) {
      event.put("sequence_number", nextSequence++);
    }
    try {
      out.writeBytes(("event: " + event.path("type").asText("") + "\ndata: ").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(JSON.writeValueAsBytes(event));
      out.writeBytes(new byte[] {'\n', '\n'});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One {@code output_text} part: its held text and the text released from it so far. */
  private final class Part implements HeldText.Listener {
    final String itemId;
    final int outputIndex;
    final int contentIndex;
    final HeldText held;
    final StringBuilder released = new StringBuilder();

    Part(String itemId, int outputIndex, int contentIndex) {
      this.itemId = itemId;
      this.outputIndex = outputIndex;
      this.contentIndex = contentIndex;
      this.held = new HeldText(guard, this);
    }

    ObjectNode event(String type) {
      ObjectNode e = JSON.createObjectNode().put("type", type);
      return e.put("item_id", itemId).put("output_index", outputIndex).put("content_index", contentIndex);
    }

    @Override
    public void found(GuardFinding finding) {
      ResponseStreamGuard.this.found(finding);
    }

    @Override
    public void released(String text) {
      released.append(text);
      ObjectNode delta = event(DELTA).put("delta", text);
      if (deltaLogprobs) {
        delta.putArray("logprobs");
      }
      write(delta);
    }
  }

  @Override
  public String toString() {
    return "ResponseStreamGuard[" + parts.size() + " parts, " + findings().size() + " findings, strongest " + strongestAction()
        + (blocked ? ", blocked]" : "]");
  }
}
