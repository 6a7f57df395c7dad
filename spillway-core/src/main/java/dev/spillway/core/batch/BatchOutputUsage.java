package dev.spillway.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.core.usage.UsageParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Adds up the usage of a batch's output file (JSON Lines: {@code {"id", "custom_id", "response": {"status_code",
 * "body": {..., "usage": {...}}}, "error"}}) as its bytes pass through the gateway, in chunks of any size: the tokens
 * every answered request of the batch used, which the backend reports nowhere else per request. A line without a
 * {@code response.body.usage} (a failed request, an error file's line, any file that is not a batch's output) adds
 * nothing; a line longer than the bound is skipped and counted. Not thread-safe: one per file read.
 */
public final class BatchOutputUsage {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int maxLineBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean lineTooLong;
  private long prompt;
  private long completion;
  private long total;
  private long cached;
  private long reasoning;
  private long answered;
  private long skipped;

  public BatchOutputUsage(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Reads the next bytes of the file. */
  public void feed(byte[] bytes, int offset, int length) {
    int from = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, from, i - from);
        endLine();
        from = i + 1;
      }
    }
    append(bytes, from, end - from);
  }

  /** The file ended: its last line, if it has no newline, is read now. */
  public void finish() {
    if (line.size() > 0 || lineTooLong) {
      endLine();
    }
  }

  /** The requests whose answers reported usage. */
  public long answeredRequests() {
    return answered;
  }

  /** Lines longer than the bound, not read. */
  public long skippedLines() {
    return skipped;
  }

  /** The sum of every answered request's usage; empty when no line reported any (not a batch's output). */
  public Optional<TokenUsage> usage() {
    return answered == 0 ? Optional.empty() : Optional.of(new TokenUsage(prompt, completion, total, cached, reasoning));
  }

  private void append(byte[] bytes, int from, int length) {
    if (lineTooLong || length == 0) {
      return;
    }
    if (line.size() + (long) length > maxLineBytes) {
      lineTooLong = true;
      line.reset();
      return;
    }
    line.write(bytes, from, length);
  }

  private void endLine() {
    if (lineTooLong) {
      skipped++;
    } else if (line.size() > 0) {
      read(line.toByteArray());
    }
    lineTooLong = false;
    line.reset();
  }

  private void read(byte[] bytes) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      return; // not a line of a batch's output: nothing to add
    }
    if (node == null) {
      return;
    }
    Optional<TokenUsage> usage = UsageParser.fromJson(node.path("response").path("body").get("usage"));
    usage.ifPresent(u -> {
      prompt += u.promptTokens();
      completion += u.completionTokens();
      total += u.totalTokens();
      cached += u.cachedTokens();
      reasoning += u.reasoningTokens();
      answered++;
    });
  }
}
