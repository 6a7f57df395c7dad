package dev.spillway.core.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML tree that remembers lines, which Jackson's {@code JsonNode} does not. Built by {@link
 * YamlReader}; read by {@link ConfigBinder}.
 */
sealed interface YamlNode {

  /** 1-based line: a key's line for a mapping or sequence under that key, else where it starts. */
  int line();

  /** A short noun for messages ("a mapping"); never the node's content. */
  String kind();

  record Mapping(int line, Map<String, Entry> entries) implements YamlNode {
    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** One {@code key: value} pair of a {@link Mapping}. */
  record Entry(String key, int keyLine, YamlNode value) {}

  record Sequence(int line, List<YamlNode> items) implements YamlNode {
    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * A scalar; {@code text} is null for YAML null ({@code key:}, {@code ~}, {@code null}).
   *
   * @param type what YAML made of it: {@code 5} is a number, {@code "5"} a string, {@code true} a
   *     boolean; lets the binder insist on real numbers and booleans
   */
  record Scalar(int line, String text, Type type) implements YamlNode {
    /** The YAML type of a scalar as written; a null scalar is {@link #STRING}. */
    enum Type {
      STRING,
      NUMBER,
      BOOLEAN
    }

    @Override
    public String kind() {
      return text == null ? "empty" : "a single value";
    }
  }
}
