package dev.spillway.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads YAML text into a {@link YamlNode} tree with line numbers, walking Jackson's YAML token
 * stream. Syntax errors become {@link ConfigProblem}s whose message never quotes the offending
 * line (it could hold a secret).
 */
final class YamlReader {
  /**
   * A bare {@code key:} is YAML null, as {@link YamlNode.Scalar} documents; Jackson reads it as an
   * empty string unless told otherwise (a quoted {@code ""} stays an empty string).
   */
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  private final String source;
  private final List<ConfigProblem> problems;

  private YamlReader(String source, List<ConfigProblem> problems) {
    this.source = source;
    this.problems = problems;
  }

  /** The document's root, or empty when the text is empty or unreadable (problems added then). */
  static Optional<YamlNode> read(String yaml, String source, List<ConfigProblem> problems) {
    return new YamlReader(source, problems).readDocument(yaml);
  }

  private Optional<YamlNode> readDocument(String yaml) {
    try (YAMLParser parser = FACTORY.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      YamlNode root = readValue(parser, first, lineOf(parser), "");
      if (parser.nextToken() != null) {
        problems.add(
            new ConfigProblem(source, lineOf(parser), "", "only one YAML document is allowed (remove the second ---)"));
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(e, yaml));
      return Optional.empty();
    } catch (IOException e) {
      problems.add(new ConfigProblem(source, 0, "", "cannot read YAML: " + e.getClass().getSimpleName()));
      return Optional.empty();
    }
  }

  /** Reads the value whose first token is {@code token}; {@code ownerLine} is its key's line. */
  private YamlNode readValue(YAMLParser parser, JsonToken token, int ownerLine, String path)
      throws IOException {
    return switch (token) {
      case START_OBJECT -> readMapping(parser, ownerLine, path);
      case START_ARRAY -> readSequence(parser, ownerLine, path);
      case VALUE_NULL -> new YamlNode.Scalar(lineOf(parser), null, YamlNode.Scalar.Type.STRING);
      default -> {
        if (parser.isCurrentAlias()) {
          problems.add(
              new ConfigProblem(source, lineOf(parser), path, "YAML aliases (*name) are not supported; repeat the value"));
          yield new YamlNode.Scalar(lineOf(parser), null, YamlNode.Scalar.Type.STRING);
        }
        YamlNode.Scalar.Type type =
            switch (token) {
              case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> YamlNode.Scalar.Type.NUMBER;
              case VALUE_TRUE, VALUE_FALSE -> YamlNode.Scalar.Type.BOOLEAN;
              default -> YamlNode.Scalar.Type.STRING;
            };
        yield new YamlNode.Scalar(lineOf(parser), parser.getText(), type);
      }
    };
  }

  private YamlNode readMapping(YAMLParser parser, int line, String path) throws IOException {
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = lineOf(parser);
      String keyPath = ConfigBinder.child(path, key);
      YamlNode value = readValue(parser, parser.nextToken(), keyLine, keyPath);
      YamlNode.Entry previous = entries.get(key);
      if (previous != null) {
        problems.add(
            new ConfigProblem(
                source, keyLine, keyPath, "duplicate key (first set on line " + previous.keyLine() + ")"));
      } else {
        entries.put(key, new YamlNode.Entry(key, keyLine, value));
      }
    }
    expect(token, JsonToken.END_OBJECT);
    return new YamlNode.Mapping(line, entries);
  }

  private YamlNode readSequence(YAMLParser parser, int line, String path) throws IOException {
    List<YamlNode> items = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new IOException("unexpected end of YAML");
      }
      items.add(readValue(parser, token, lineOf(parser), path + "[" + items.size() + "]"));
    }
    return new YamlNode.Sequence(line, items);
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("unexpected YAML token " + actual);
    }
  }

  private static int lineOf(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  /**
   * Turns a parse error into a problem with the line and SnakeYAML's one-phrase description, never
   * the snippet of the line that the full message carries.
   */
  private ConfigProblem syntaxProblem(JsonProcessingException e, String yaml) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
          && marked.getProblemMark() != null) {
        int line = marked.getProblemMark().getLine() + 1;
        String problem = marked.getProblem() == null ? "invalid YAML" : marked.getProblem();
        String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
        return new ConfigProblem(source, line, "", "YAML syntax error: " + problem + context + hint(yaml, line));
      }
    }
    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    return new ConfigProblem(source, Math.max(line, 0), "", "YAML syntax error" + hint(yaml, line));
  }

  /** The common trap: {@code { apiKey: ${KEY} }} is not valid YAML, because '{' ends a flow scalar. */
  private static String hint(String yaml, int line) {
    String[] lines = yaml.split("\r\n|\r|\n", -1);
    if (line >= 1 && line <= lines.length && lines[line - 1].contains("${")
        && lines[line - 1].replace("${", "").contains("{")) {
      return "; inside { ... } quote ${VAR} values, for example { apiKey: \"${KEY}\" }, or use one key per line";
    }
    return "";
  }
}
