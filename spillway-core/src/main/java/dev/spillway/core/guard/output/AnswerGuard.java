package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the output checks over a whole (not streamed) answer and rewrites it as they ask. Three shapes are read:
 *
 * <ul>
 *   <li>a {@code chat.completion}: each choice's {@code message.content};
 *   <li>a legacy {@code text_completion}: each choice's {@code text};
 *   <li>a Responses API {@code response}: each {@code output_text} part of its {@code message} output items.
 * </ul>
 *
 * Each text is checked on its own. MASK findings replace their spans by {@link Placeholders}. A BLOCK finding filters
 * the choice the way Azure OpenAI filters a completion: {@code message.content} null (chat) or {@code text} empty
 * (completion), {@code finish_reason: content_filter} and {@code content_filter_results} naming what was found
 * ({@link FilterResults}, merged into Azure's own results if the choice has them); a response becomes {@code
 * incomplete} for {@code content_filter}, every output text emptied (a response has one status, so one block stops it
 * all). A masked or filtered text's {@code logprobs} are dropped, since their tokens spell the text. Usage, tool calls,
 * refusals and everything else stay as they were; the body is rewritten only when a text changed, so an answer with
 * only LOG findings leaves as its own bytes.
 *
 * <p>A body that is not JSON, or not one of the three shapes, passes unchanged with no findings: whether to let such an
 * answer through is the caller's decision. Stateless and thread-safe.
 */
public final class AnswerGuard {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final OutputGuard guard;

  AnswerGuard(OutputGuard guard) {
    this.guard = guard;
  }

  /** Checks the answer in {@code body} and says what to send. */
  public GuardedAnswer guard(byte[] body) {
    if (guard.passesEverything()) {
      return GuardedAnswer.unchanged(body);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return GuardedAnswer.unchanged(body);
    }
    if (!(root instanceof ObjectNode answer)) {
      return GuardedAnswer.unchanged(body);
    }
    Outcome outcome = new Outcome();
    if (answer.path("object").asText("").equals("response") || answer.path("output").isArray()) {
      response(answer, outcome);
    } else {
      for (JsonNode choice : answer.path("choices")) {
        if (choice instanceof ObjectNode c) {
          choice(c, outcome);
        }
      }
    }
    if (!outcome.changed) {
      return new GuardedAnswer(body, false, outcome.action, outcome.findings);
    }
    try {
      return new GuardedAnswer(JSON.writeValueAsBytes(answer), true, outcome.action, outcome.findings);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private void choice(ObjectNode choice, Outcome outcome) {
    JsonNode message = choice.get("message");
    boolean chat = message instanceof ObjectNode;
    JsonNode text = chat ? message.get("content") : choice.get("text");
    if (text == null || !text.isTextual() || text.textValue().isEmpty()) {
      return;
    }
    List<GuardFinding> found = outcome.inspect(text.textValue());
    if (blocks(found)) {
      if (chat) {
        ((ObjectNode) message).putNull("content");
      } else {
        choice.put("text", "");
      }
      choice.put("finish_reason", "content_filter");
      JsonNode results = choice.get("content_filter_results");
      choice.set("content_filter_results",
          FilterResults.into(results instanceof ObjectNode r ? r : choice.objectNode(), found));
      dropLogprobs(choice);
      outcome.changed = true;
    } else if (!Placeholders.spans(found, text.textValue().length()).isEmpty()) {
      String masked = Placeholders.mask(text.textValue(), found);
      if (chat) {
        ((ObjectNode) message).put("content", masked);
      } else {
        choice.put("text", masked);
      }
      dropLogprobs(choice);
      outcome.changed = true;
    }
  }

  private void response(ObjectNode response, Outcome outcome) {
    List<ObjectNode> parts = new ArrayList<>();
    List<ObjectNode> messages = new ArrayList<>();
    for (JsonNode item : response.path("output")) {
      if (item instanceof ObjectNode message && message.path("type").asText("").equals("message")) {
        messages.add(message);
        for (JsonNode part : message.path("content")) {
          if (part instanceof ObjectNode p && p.path("type").asText("").equals("output_text")
              && p.path("text").isTextual()) {
            parts.add(p);
          }
        }
      }
    }
    boolean blocked = false;
    for (ObjectNode part : parts) {
      String text = part.get("text").textValue();
      List<GuardFinding> found = outcome.inspect(text);
      if (blocks(found)) {
        blocked = true;
      } else if (!Placeholders.spans(found, text.length()).isEmpty()) {
        part.put("text", Placeholders.mask(text, found));
        part.remove("logprobs");
        outcome.changed = true;
      }
    }
    if (!blocked) {
      return;
    }
    for (ObjectNode part : parts) {
      part.put("text", "");
      part.putArray("annotations");
      part.remove("logprobs");
    }
    for (ObjectNode message : messages) {
      if (message.has("status")) {
        message.put("status", "incomplete");
      }
    }
    response.put("status", "incomplete");
    response.putObject("incomplete_details").put("reason", "content_filter");
    outcome.changed = true;
  }

  private static boolean blocks(List<GuardFinding> found) {
    for (GuardFinding f : found) {
      if (f.action() == GuardAction.BLOCK) {
        return true;
      }
    }
    return false;
  }

  private static void dropLogprobs(ObjectNode choice) {
    if (choice.has("logprobs") && !choice.get("logprobs").isNull()) {
      choice.putNull("logprobs");
    }
  }

  /** The findings and strongest action over every text of one answer, and whether the answer was rewritten. */
  private final class Outcome {
    final List<GuardFinding> findings = new ArrayList<>();
    GuardAction action = GuardAction.ALLOW;
    boolean changed;

    List<GuardFinding> inspect(String text) {
      List<GuardFinding> found = guard.inspect(text);
      for (GuardFinding f : found) {
        findings.add(f);
        action = action.max(f.action());
      }
      return found;
    }
  }
}
