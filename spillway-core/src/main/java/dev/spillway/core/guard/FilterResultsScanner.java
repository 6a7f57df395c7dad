package dev.spillway.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.sse.SseLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a streamed answer as it passes for Azure's content-filter results ({@link AzureFilterResults}), in any
 * chunking: only the {@code data:} lines that may hold a finding ({@link AzureFilterResults#mayFlag}) are parsed, so
 * an ordinary stream, annotations all {@code safe}, costs a byte scan.
 * Lines longer than the bound are skipped. Not thread-safe: one per stream.
 */
public final class FilterResultsScanner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LINE = 256 * 1024;

  private final List<GuardFinding> findings = new ArrayList<>();
  private final SseLines lines = new SseLines(this::line, MAX_LINE);

  /** Reads the next bytes of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    lines.feed(bytes, offset, length);
  }

  private void line(byte[] l) {
    if (!SseLines.isData(l) || !AzureFilterResults.mayFlag(l, 5, l.length)) {
      return;
    }
    try {
      JsonNode event = JSON.readTree(l, 5, l.length - 5);
      findings.addAll(AzureFilterResults.of(event));
    } catch (IOException notJson) {
      // Not an event this scanner reads.
    }
  }

  /** How many findings so far. */
  public int count() {
    return findings.size();
  }

  /** The findings so far, in stream order. */
  public List<GuardFinding> findings() {
    return List.copyOf(findings);
  }
}
