package dev.spillway.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A public set of prompts that are all of one label (prompt injections, or ordinary prompts), read from a file the
 * caller names (nothing of it is kept in this repository), with duplicates dropped, and split by a stable hash into a
 * development half and a held-out half.
 *
 * <p>Formats: {@code csv:COLUMN} (a CSV file with a header row; quoted fields may span lines) and {@code jsonl:FIELD}
 * (one JSON object a line).
 *
 * <p>The split: FNV-1a (64 bits) over the UTF-8 bytes of the stripped text; a remainder below 5 when divided by 10 puts
 * a prompt in the development half. {@code halves}: the rules were tuned while reading the development half, and only
 * the held-out half is reported; {@code test}: the whole set is held out (it was not read while tuning).
 */
record LabelledPrompts(String name, String license, String source, boolean injection, String split, String role,
    int total, int duplicates, List<String> development, List<String> heldOut) {

  static final List<String> SPLITS = List.of("halves", "test");
  static final List<String> ROLES = List.of("select", "report");

  /** Whether the default must meet its bounds on this set. */
  boolean selects() {
    return role.equals("select");
  }

  /** Reads {@code file}; {@code format} is {@code csv:COLUMN} or {@code jsonl:FIELD}. */
  static LabelledPrompts read(Path file, String format, String name, String license, String source,
      boolean injection, String split, String role) {
    if (!SPLITS.contains(split)) {
      throw new IllegalArgumentException("--split must be one of " + SPLITS + ", was " + split);
    }
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("--role must be one of " + ROLES + ", was " + role);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> all;
    if (format.startsWith("csv:")) {
      all = csvColumn(text, format.substring(4));
    } else if (format.startsWith("jsonl:")) {
      all = jsonlField(text, format.substring(6));
    } else {
      throw new IllegalArgumentException("--format must be csv:COLUMN or jsonl:FIELD, was " + format);
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String s : all) {
      if (s != null && !s.isBlank()) {
        seen.add(s.strip());
      }
    }
    if (seen.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no prompts in " + format);
    }
    List<String> dev = new ArrayList<>();
    List<String> held = new ArrayList<>();
    for (String s : seen) {
      (split.equals("halves") && development(s) ? dev : held).add(s);
    }
    return new LabelledPrompts(name.isEmpty() ? file.getFileName().toString() : name, license, source, injection,
        split, role, all.size(), all.size() - seen.size(), List.copyOf(dev), List.copyOf(held));
  }

  /** Whether a stripped prompt falls in the development half. */
  static boolean development(String stripped) {
    long h = 0xcbf29ce484222325L;
    for (byte b : stripped.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return Long.remainderUnsigned(h, 10) < 5;
  }

  private static List<String> jsonlField(String text, String field) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(new JsonObject(line).getString(field));
      }
    }
    return out;
  }

  /** One column of a CSV text: commas separate, double quotes enclose (also line breaks), "" is a quote. */
  static List<String> csvColumn(String text, String column) {
    List<List<String>> rows = csvRows(text);
    if (rows.isEmpty()) {
      return List.of();
    }
    int index = rows.get(0).indexOf(column);
    if (index < 0) {
      throw new IllegalArgumentException("no column '" + column + "' in the header " + rows.get(0));
    }
    List<String> out = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      if (row.size() > index) {
        out.add(row.get(index));
      }
    }
    return out;
  }

  private static List<List<String>> csvRows(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
