package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deployment's provider prompt cache, simplified and deterministic: a prompt's tokens are cached in blocks of
 * {@value #BLOCK_TOKENS}; a new prompt reports as cached the longest run of whole blocks from its start that a prompt
 * this deployment served before also began with, as long as that prefix is among the {@value #CAPACITY} most recently
 * used (no time limit: runs are reproducible). A prompt shorter than one block is never cached. As on Azure, only the
 * prefix counts: one token changed early makes everything after it a miss.
 *
 * <p>The prompt's tokens are its rendering in {@code o200k_base}: for chat, each message's role and the text of its
 * content; for completions, the prompt's strings, and token arrays as they are. Thread-safe (one lock per deployment).
 */
final class PromptCache {
  /** Tokens per cached block: the shortest prompt a provider caches, and the unit it caches in here. */
  static final int BLOCK_TOKENS = 1_024;
  /** Prefixes remembered, least recently used forgotten first. */
  static final int CAPACITY = 4_096;

  private final Map<Long, Boolean> recent = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  /**
   * The cached tokens of a prompt this deployment is now serving (at most {@code promptTokens}, a multiple of {@value
   * #BLOCK_TOKENS}), and remembers its prefixes for the next.
   */
  int serve(Operation operation, JsonNode body, int promptTokens) {
    int[] tokens = tokens(operation, body);
    int blocks = Math.min(tokens.length, promptTokens) / BLOCK_TOKENS;
    long[] prefixes = new long[blocks];
    long h = 0xcbf29ce484222325L; // FNV-1a over the token ids, read at each block's end
    for (int i = 0; i < blocks * BLOCK_TOKENS; i++) {
      h = (h ^ tokens[i]) * 0x100000001b3L;
      if ((i + 1) % BLOCK_TOKENS == 0) {
        prefixes[i / BLOCK_TOKENS] = h;
      }
    }
    synchronized (recent) {
      int hit = 0;
      while (hit < blocks && recent.containsKey(prefixes[hit])) {
        hit++;
      }
      for (long p : prefixes) {
        recent.put(p, Boolean.TRUE);
      }
      return hit * BLOCK_TOKENS;
    }
  }

  private static int[] tokens(Operation operation, JsonNode body) {
    StringBuilder text = new StringBuilder();
    if (operation == Operation.CHAT_COMPLETIONS) {
      for (JsonNode message : body.path("messages")) {
        text.append(message.path("role").asText()).append('\n');
        JsonNode content = message.path("content");
        if (content.isTextual()) {
          text.append(content.asText()).append('\n');
        } else {
          for (JsonNode part : content) {
            text.append(part.path("text").asText()).append('\n');
          }
        }
      }
      return TokenCounter.encode(text.toString());
    }
    JsonNode prompt = body.path("prompt");
    if (prompt.isTextual()) {
      return TokenCounter.encode(prompt.asText());
    }
    if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isInt()) {
      int[] ids = new int[prompt.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = prompt.get(i).asInt();
      }
      return ids;
    }
    for (JsonNode item : prompt) {
      text.append(item.asText());
    }
    return TokenCounter.encode(text.toString());
  }
}
