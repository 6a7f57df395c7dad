package dev.spillway.simulator;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with the {@code o200k_base} encoding (GPT-4o family). Special-token text such as
 * {@code <|endoftext|>} is counted as ordinary text rather than rejected. Thread-safe; the encoding
 * is loaded once per JVM on first use.
 */
final class TokenCounter {
  private static final Encoding O200K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  /** Tokens per chat message on top of its content, and per conversation for the reply primer. */
  static final int TOKENS_PER_MESSAGE = 4;
  static final int TOKENS_PER_REPLY_PRIMER = 3;

  private TokenCounter() {}

  /** The {@code o200k_base} token ids of {@code text}. */
  static int[] encode(String text) {
    return text.isEmpty() ? new int[0] : O200K.encodeOrdinary(text).toArray();
  }

  /** Number of {@code o200k_base} tokens in {@code text}. */
  static int count(String text) {
    return text.isEmpty() ? 0 : O200K.countTokensOrdinary(text);
  }
}
