package dev.spillway.simulator;

import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * The simulated Azure OpenAI content filter as a step of the chat, completions and Responses API paths: {@link #judge}
 * rates a request's prompt (its user text's trigger terms and its {@code x-sim-content-filter} header), and {@link
 * #refused} answers a blocked prompt as Azure does: admitted for its prompt tokens (so a 429 comes first, and a refused
 * prompt still costs quota, as Azure bills it), then {@code 400 content_filter}. Thread-safe; stateless.
 */
final class PromptFilter {
  private final ContentFilterConfig config;
  private final ExchangeAdmission admission;

  PromptFilter(ContentFilterConfig config, ExchangeAdmission admission) {
    this.config = config;
    this.admission = admission;
  }

  /** The verdict on a prompt; throws {@link InvalidRequestException} for a malformed header. */
  FilterVerdict judge(HttpServerRequest req, String userText) {
    return FilterVerdict.of(config, userText, ContentFilterHeader.parse(req.getHeader(ContentFilterHeader.NAME)));
  }

  /**
   * Answers the exchange when {@code verdict} blocks its prompt — {@code 400 content_filter}, or the {@code 429} of
   * admission — and returns true; returns false, answering nothing, when the prompt passes.
   */
  boolean refused(Exchange addressed, FilterVerdict verdict, long promptTokens) {
    if (!verdict.promptBlocked()) {
      return false;
    }
    Optional<Exchange> admitted = admission.admit(addressed, promptTokens, 0);
    if (admitted.isPresent()) {
      admitted.get().deployment().promptsFiltered.increment();
      Replies.send(admitted.get().req().response(), 400, new ContentFilterJson(verdict).promptBlockedError());
    }
    return true;
  }
}
