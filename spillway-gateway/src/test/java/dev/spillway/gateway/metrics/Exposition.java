package dev.spillway.gateway.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it rejects what a
 * Prometheus server would reject (bad names, bad escapes, samples of a family with no {@code # TYPE},
 * duplicate series, a family split in two, histograms that are not cumulative).
 */
final class Exposition {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** A {@code # TYPE} family and its samples in order. */
  record Family(String name, String type, String help, List<Sample> samples) {}

  private final Map<String, Family> families;

  private Exposition(Map<String, Family> families) {
    this.families = families;
  }

  Map<String, Family> families() {
    return Collections.unmodifiableMap(families);
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the line at the first problem. */
  static Exposition parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a line feed");
    }
    Map<String, Family> families = new LinkedHashMap<>();
    Map<String, String> help = new HashMap<>();
    Set<String> series = new HashSet<>();
    Set<String> closed = new HashSet<>();
    String current = null;
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (line.startsWith("#")) {
          String[] parts = line.split(" ", 4);
          if (parts.length >= 3 && parts[1].equals("HELP")) {
            requireName(parts[2]);
            if (help.put(parts[2], unescapeHelp(parts.length == 4 ? parts[3] : "")) != null) {
              throw new IllegalArgumentException("second HELP for " + parts[2]);
            }
          } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
            requireName(parts[2]);
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
              throw new IllegalArgumentException("bad TYPE line");
            }
            if (families.containsKey(parts[2])) {
              throw new IllegalArgumentException("second TYPE for " + parts[2]);
            }
            if (current != null) {
              closed.add(current);
            }
            current = parts[2];
            families.put(current, new Family(current, parts[3], help.get(current), new ArrayList<>()));
          }
          continue; // any other comment is allowed
        }
        Sample s = parseSample(line);
        String family = familyOf(s.name(), families);
        if (family == null) {
          throw new IllegalArgumentException("no # TYPE for the family of " + s.name());
        }
        if (!family.equals(current) || closed.contains(family)) {
          throw new IllegalArgumentException("samples of " + family + " are not together after its TYPE");
        }
        if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
          throw new IllegalArgumentException("duplicate series " + s.name() + s.labels());
        }
        families.get(family).samples().add(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage() + ": " + line, e);
      }
    }
    families.values().forEach(Exposition::checkFamily);
    return new Exposition(families);
  }

  /** The value of the one sample named {@code name} whose labels include {@code labels}. */
  double value(String name, Map<String, String> labels) {
    List<Sample> found = samples(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + " match " + labels + ": " + found);
    }
    return found.get(0).value();
  }

  /** Every sample named {@code name} whose labels include {@code labels}. */
  List<Sample> samples(String name, Map<String, String> labels) {
    List<Sample> out = new ArrayList<>();
    for (Family f : families.values()) {
      for (Sample s : f.samples()) {
        if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
          out.add(s);
        }
      }
    }
    return out;
  }

  // ---- parsing ----

  private static Sample parseSample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    requireName(name);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0) {
          throw new IllegalArgumentException("label without '='");
        }
        String label = line.substring(i, eq);
        if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
          throw new IllegalArgumentException("bad label name '" + label + "'");
        }
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label value not quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (true) {
          char c = line.charAt(j);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            char next = line.charAt(j + 1);
            switch (next) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw new IllegalArgumentException("bad escape \\" + next);
            }
            j += 2;
          } else {
            value.append(c);
            j++;
          }
        }
        if (labels.put(label, value.toString()) != null) {
          throw new IllegalArgumentException("label " + label + " twice");
        }
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        } else if (line.charAt(i) != '}') {
          throw new IllegalArgumentException("expected ',' or '}'");
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("expected a space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length < 1 || rest.length > 2) {
      throw new IllegalArgumentException("expected a value and an optional timestamp");
    }
    if (rest.length == 2) {
      Long.parseLong(rest[1]);
    }
    return new Sample(name, labels, parseValue(rest[0]));
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (!v.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?|[-+]?[0-9]+\\.")) {
          throw new IllegalArgumentException("bad value '" + v + "'");
        }
        yield Double.parseDouble(v);
      }
    };
  }

  private static String unescapeHelp(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = s.charAt(++i);
      switch (next) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        default -> throw new IllegalArgumentException("bad escape in HELP \\" + next);
      }
    }
    return out.toString();
  }

  private static void requireName(String name) {
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name '" + name + "'");
    }
  }

  /** The declared family a sample belongs to: its own name, or its name less a type's suffix. */
  private static String familyOf(String sample, Map<String, Family> families) {
    Family own = families.get(sample);
    if (own != null && !own.type().equals("histogram")) {
      return sample;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        Family f = families.get(base);
        if (f != null && allows(f.type(), suffix)) {
          return base;
        }
      }
    }
    return null;
  }

  private static boolean allows(String type, String suffix) {
    return switch (type) {
      case "histogram" -> !suffix.equals("_total");
      case "summary" -> suffix.equals("_count") || suffix.equals("_sum");
      case "counter" -> suffix.equals("_total");
      default -> false;
    };
  }

  /** Histograms: per series, buckets ascending and cumulative, a +Inf bucket equal to _count. */
  private static void checkFamily(Family f) {
    if (!f.type().equals("histogram")) {
      return;
    }
    Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
    Map<Map<String, String>, Double> counts = new HashMap<>();
    for (Sample s : f.samples()) {
      if (s.name().endsWith("_bucket")) {
        Map<String, String> key = new TreeMap<>(s.labels());
        if (key.remove("le") == null) {
          throw new IllegalArgumentException(f.name() + ": bucket without le " + s);
        }
        buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      } else if (s.name().endsWith("_count")) {
        counts.put(new TreeMap<>(s.labels()), s.value());
      }
    }
    buckets.forEach((series, list) -> {
      double previousLe = Double.NEGATIVE_INFINITY;
      double previousCount = 0;
      for (Sample b : list) {
        double le = parseValue(b.labels().get("le"));
        if (le <= previousLe || b.value() < previousCount) {
          throw new IllegalArgumentException(f.name() + series + ": buckets not ascending and cumulative at le=" + le);
        }
        previousLe = le;
        previousCount = b.value();
      }
      if (previousLe != Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(f.name() + series + ": no +Inf bucket");
      }
      Double count = counts.get(series);
      if (count == null || count != previousCount) {
        throw new IllegalArgumentException(f.name() + series + ": +Inf bucket " + previousCount + " != _count " + count);
      }
    });
  }
}
