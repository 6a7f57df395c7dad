package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A Content Safety {@code text:shieldPrompt} body: a {@code userPrompt} (at most {@value #MAX_TEXT} code points) and/or
 * {@code documents} (at most {@value #MAX_DOCUMENTS}, {@value #MAX_TEXT} code points in all); one of them is required.
 *
 * @param userPrompt the user prompt to check for a direct attack, if given
 * @param documents the documents to check for an indirect attack
 */
record ShieldPromptRequest(Optional<String> userPrompt, List<String> documents) {
  static final int MAX_TEXT = 10_000;
  static final int MAX_DOCUMENTS = 5;

  /** Reads {@code body}; throws {@link InvalidRequestException} for what the service refuses. */
  static ShieldPromptRequest parse(JsonNode body) {
    JsonNode prompt = body.get("userPrompt");
    if (prompt != null && !prompt.isNull() && !prompt.isTextual()) {
      throw new InvalidRequestException("The field 'userPrompt' must be a string.", "userPrompt");
    }
    Optional<String> userPrompt = prompt == null || prompt.isNull() ? Optional.empty() : Optional.of(prompt.asText());
    List<String> documents = AnalyzeTextRequest.strings(body, "documents");
    if (userPrompt.isEmpty() && documents.isEmpty()) {
      throw new InvalidRequestException("At least one of 'userPrompt' and 'documents' is required.", null);
    }
    if (userPrompt.isPresent() && codePoints(userPrompt.get()) > MAX_TEXT) {
      throw new InvalidRequestException("The userPrompt is too long: at most " + MAX_TEXT + " characters.",
          "userPrompt");
    }
    if (documents.size() > MAX_DOCUMENTS) {
      throw new InvalidRequestException("Too many documents: at most " + MAX_DOCUMENTS + ".", "documents");
    }
    if (documents.stream().mapToLong(ShieldPromptRequest::codePoints).sum() > MAX_TEXT) {
      throw new InvalidRequestException("The documents are too long: at most " + MAX_TEXT + " characters in all.",
          "documents");
    }
    return new ShieldPromptRequest(userPrompt, List.copyOf(documents));
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }
}
