package dev.spillway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A public labelled paraphrase set read from a file the caller names (nothing of it is kept in this repository):
 * pairs of sentences, each a paraphrase or not. Formats:
 *
 * <ul>
 *   <li>{@code paws}: PAWS-Wiki's TSV, {@code id, sentence1, sentence2, label} (1 = paraphrase), header optional.
 *   <li>{@code sts}: the STS Benchmark as CSV {@code sentence1, sentence2, score} (0..5, quoted as CSV quotes). A
 *       score of 4 or more is a paraphrase, 2 or less is not, the pairs between are left out (they are neither).
 *   <li>{@code mrpc}: the Microsoft Research Paraphrase Corpus's TSV, {@code Quality, #1 ID, #2 ID, #1 String, #2
 *       String}, with its header.
 * </ul>
 */
record LabelledPairs(String name, String license, String format, String source, List<Pair> pairs, int leftOut) {

  /** Two sentences and whether they say the same. */
  record Pair(String a, String b, boolean paraphrase) {}

  static final List<String> FORMATS = List.of("paws", "sts", "mrpc");

  long paraphrases() {
    return pairs.stream().filter(Pair::paraphrase).count();
  }

  /** Reads {@code file} in {@code format}; {@code limit} keeps the first pairs only (0: all). */
  static LabelledPairs read(Path file, String format, String source, String license, int limit) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<Pair> pairs = new ArrayList<>();
    int leftOut = 0;
    for (String line : lines) {
      if (line.isBlank() || (limit > 0 && pairs.size() >= limit)) {
        continue;
      }
      Pair p = switch (format) {
        case "paws" -> paws(line);
        case "sts" -> sts(line);
        case "mrpc" -> mrpc(line);
        default -> throw new IllegalArgumentException("--format must be one of " + FORMATS + ", was " + format);
      };
      if (p == null) {
        leftOut++;
      } else {
        pairs.add(p);
      }
    }
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no " + format + " pairs");
    }
    return new LabelledPairs(defaultName(format), license.isEmpty() ? defaultLicense(format) : license, format,
        source, List.copyOf(pairs), leftOut);
  }

  private static Pair paws(String line) {
    String[] f = line.split("\t");
    if (f.length < 4 || !(f[3].equals("0") || f[3].equals("1"))) {
      return null; // the header
    }
    return new Pair(f[1], f[2], f[3].equals("1"));
  }

  private static Pair sts(String line) {
    List<String> f = csv(line);
    if (f.size() < 3) {
      return null;
    }
    double score;
    try {
      score = Double.parseDouble(f.get(2));
    } catch (NumberFormatException e) {
      return null;
    }
    if (score >= 4.0) {
      return new Pair(f.get(0), f.get(1), true);
    }
    return score <= 2.0 ? new Pair(f.get(0), f.get(1), false) : null;
  }

  private static Pair mrpc(String line) {
    String[] f = line.split("\t");
    if (f.length < 5 || !(f[0].equals("0") || f[0].equals("1"))) {
      return null;
    }
    return new Pair(f[3], f[4], f[0].equals("1"));
  }

  /** One CSV line's fields: commas separate, double quotes enclose, a doubled quote inside is one quote. */
  static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
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
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  private static String defaultName(String format) {
    return switch (format) {
      case "paws" -> "PAWS-Wiki Labeled (Final)";
      case "sts" -> "STS Benchmark (scores ≥ 4 paraphrase, ≤ 2 not; between left out)";
      default -> "Microsoft Research Paraphrase Corpus";
    };
  }

  private static String defaultLicense(String format) {
    return switch (format) {
      case "paws" -> "PAWS licence: \"may be freely used for any purpose\", acknowledgement of Google LLC as the"
          + " data source appreciated; provided as is";
      case "sts" -> "scores CC BY-SA 4.0; sentences under their sources' own terms (news headlines, image captions,"
          + " forum posts)";
      default -> "Microsoft Research Shared Source Licence (MSR-SSLA) of its download: research use";
    };
  }
}
