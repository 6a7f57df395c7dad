package dev.spillway.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line on which each node of a YAML document starts, keyed by JSON pointer
 * ({@code /deployments/1/tier}), so that config errors can name a line. Built once per load.
 */
final class YamlLineIndex {
  private final Map<String, Integer> lines;

  private YamlLineIndex(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** Indexes {@code yaml}; a document that cannot be tokenized yields an empty index. */
  static YamlLineIndex of(String yaml) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        String pointer = t.isStructStart()
            ? parser.getParsingContext().getParent() == null
                ? "" : parser.getParsingContext().getParent().pathAsPointer().toString()
            : parser.getParsingContext().pathAsPointer().toString();
        lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
      }
    } catch (IOException | RuntimeException e) {
      // Reported by the tree parse; the index only improves messages.
    }
    return new YamlLineIndex(lines);
  }

  /** The 1-based line of the node at {@code pointer}, or of its nearest indexed ancestor; 0 if unknown. */
  int lineOf(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 0;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }
}
