package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds chat and text completion bodies — whole ({@code chat.completion}, {@code text_completion})
 * or as SSE events ({@code chat.completion.chunk}) — in the shape Azure OpenAI sends, including
 * {@code prompt_filter_results} and the choice's {@code content_filter_results} from a {@link
 * ContentFilterJson}. When the verdict filters the completion, the pieces given are those the model got
 * out before the filter stopped it: a whole answer then has no content (as Azure's) and {@code
 * finish_reason: content_filter}; a stream sends them, then a last chunk with {@code finish_reason:
 * content_filter} and the choice's results (which a stream carries only when the completion is rated
 * above safe). One instance per response; not thread-safe (no shared state, but not meant to be shared).
 */
final class CompletionJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DONE_EVENT = "data: [DONE]\n\n";

  private final Operation operation;
  private final String id;
  private final long created;
  private final String model;
  private final String systemFingerprint;
  private final ContentFilterJson filter;

  /** A response whose prompt and completion the content filters found safe. */
  CompletionJson(Operation operation, String id, long createdEpochSeconds, String model, String systemFingerprint) {
    this(operation, id, createdEpochSeconds, model, systemFingerprint, new ContentFilterJson(FilterVerdict.SAFE));
  }

  /**
   * @param id response id ({@code chatcmpl-…} or {@code cmpl-…})
   * @param createdEpochSeconds wall-clock creation time in seconds since the epoch
   * @param model the model name to report (the deployment)
   * @param filter the content filters' annotations of this exchange
   */
  CompletionJson(Operation operation, String id, long createdEpochSeconds, String model, String systemFingerprint,
      ContentFilterJson filter) {
    this.operation = operation;
    this.id = id;
    this.created = createdEpochSeconds;
    this.model = model;
    this.systemFingerprint = systemFingerprint;
    this.filter = filter;
  }

  private boolean filtered() {
    return filter.verdict().completionFiltered();
  }

  private boolean chat() {
    return operation == Operation.CHAT_COMPLETIONS;
  }

  /** The non-streamed response body, no prompt tokens cached. */
  String response(List<String> pieces, String finishReason, int promptTokens) {
    return response(pieces, finishReason, promptTokens, 0);
  }

  /** The non-streamed response body; {@code cachedTokens} of the prompt came from the prompt cache. */
  String response(List<String> pieces, String finishReason, int promptTokens, int cachedTokens) {
    ObjectNode root = header(chat() ? "chat.completion" : "text_completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    String text = filtered() ? null : String.join("", pieces);
    if (chat()) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text);
      message.putNull("refusal");
      message.putArray("annotations");
    } else {
      choice.put("text", text == null ? "" : text);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", filtered() ? "content_filter" : finishReason);
    choice.set("content_filter_results", filter.choiceResults());
    root.set("usage", usage(promptTokens, cachedTokens, pieces.size()));
    root.put("system_fingerprint", systemFingerprint);
    root.set("prompt_filter_results", filter.promptFilterResults());
    return root.toString();
  }

  /** Every event of the streamed response: {@code data: ...} events ending with {@code data: [DONE]}. */
  StreamPlan stream(List<String> pieces, String finishReason, int promptTokens, boolean includeUsage) {
    return stream(pieces, finishReason, promptTokens, 0, includeUsage);
  }

  /** As {@link #stream(List, String, int, boolean)}, {@code cachedTokens} of the prompt from the prompt cache. */
  StreamPlan stream(List<String> pieces, String finishReason, int promptTokens, int cachedTokens,
      boolean includeUsage) {
    List<String> events = new ArrayList<>(pieces.size() + 6);
    ObjectNode first = JSON.createObjectNode();
    first.putArray("choices");
    first.put("created", 0).put("id", "").put("model", "").put("object", "");
    first.set("prompt_filter_results", filter.promptFilterResults());
    events.add(event(first));
    if (chat()) {
      ObjectNode role = chunk(includeUsage);
      ObjectNode choice = choice(role);
      choice.putObject("delta").put("role", "assistant").put("content", "").putNull("refusal");
      choice.putNull("finish_reason");
      events.add(event(role));
    }
    int firstContent = events.size();
    for (String piece : pieces) {
      ObjectNode c = chunk(includeUsage);
      ObjectNode choice = choice(c);
      if (chat()) {
        choice.putObject("delta").put("content", piece);
      } else {
        choice.put("text", piece);
      }
      choice.putNull("finish_reason");
      events.add(event(c));
    }
    ObjectNode last = chunk(includeUsage);
    ObjectNode choice = choice(last);
    if (chat()) {
      choice.putObject("delta");
    } else {
      choice.put("text", "");
    }
    choice.put("finish_reason", filtered() ? "content_filter" : finishReason);
    if (filter.verdict().completionFlagged()) {
      choice.set("content_filter_results", filter.choiceResults());
    }
    events.add(event(last));
    if (includeUsage) {
      ObjectNode usage = chunk(false);
      usage.putArray("choices");
      usage.set("usage", usage(promptTokens, cachedTokens, pieces.size()));
      events.add(event(usage));
    }
    events.add(DONE_EVENT);
    return new StreamPlan(events, firstContent, pieces.size());
  }

  private ObjectNode header(String object) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  private ObjectNode chunk(boolean withNullUsage) {
    ObjectNode root = header(chat() ? "chat.completion.chunk" : "text_completion");
    root.put("system_fingerprint", systemFingerprint);
    if (withNullUsage) {
      root.putNull("usage");
    }
    return root;
  }

  private static ObjectNode choice(ObjectNode chunk) {
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putNull("logprobs");
    return choice;
  }

  static ObjectNode usage(int promptTokens, int completionTokens) {
    return usage(promptTokens, 0, completionTokens);
  }

  static ObjectNode usage(int promptTokens, int cachedTokens, int completionTokens) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    return usage;
  }

  private static String event(ObjectNode json) {
    return "data: " + json + "\n\n";
  }
}
