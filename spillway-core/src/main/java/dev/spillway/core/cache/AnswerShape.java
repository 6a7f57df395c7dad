package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import java.util.Optional;

/**
 * What the cache must know of one API whose answers it keeps: which requests it must let through, how the semantic
 * layer reads a request, how a streamed answer is assembled into one object, when an answer is complete enough to keep,
 * and how a kept answer is replayed as the stream a caller asked for. Two today: chat completions ({@link ChatShape})
 * and the Responses API ({@link ResponsesShape}); an answer is only ever replayed by the shape that stored it, since
 * the shape's {@link #api} is part of every key.
 */
public sealed interface AnswerShape permits ChatShape, ResponsesShape {
  /** The name in the keys: {@code chat}, {@code responses}. */
  String api();

  /**
   * Why a request of this API is neither looked up nor stored whatever its temperature (its answer is stored by the
   * backend, runs in the background, depends on state kept elsewhere), or empty when it may be cached.
   */
  Optional<String> bypassReason(JsonNode body);

  /**
   * The request as the semantic layer reads it: a chat completion request's {@code messages} and parameters; empty when
   * its input is not plain text turns (the semantic layer then skips it, the exact layer still applies).
   */
  Optional<JsonNode> semanticView(JsonNode body);

  /** A new assembler for one streamed answer no longer than {@code maxBytes}. */
  StreamAssembler assembler(int maxBytes);

  /** {@code answer} when it is complete (finished, not filtered, no error); empty otherwise. */
  Optional<byte[]> completeJson(byte[] answer);

  /** The stream a caller of {@code request} gets for the stored {@code answer}. */
  byte[] replay(byte[] answer, JsonNode request);

  /** The shape of {@code operation}'s answers, when the cache keeps them. */
  static Optional<AnswerShape> of(Operation operation) {
    return switch (operation) {
      case CHAT_COMPLETIONS -> Optional.of(ChatShape.INSTANCE);
      case RESPONSES -> Optional.of(ResponsesShape.INSTANCE);
      default -> Optional.empty();
    };
  }
}
