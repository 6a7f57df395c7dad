package dev.spillway.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds {@code REPORT.md} and {@code REPORT.json} from the per-harness reports a {@code
 * bench/run-all} run left in one folder ({@code edge}, {@code routing}, {@code spillover}, {@code limits}): their
 * Markdown one after the other with headings pushed down a level, and their JSON under one object.
 * A report missing from the folder is listed as not run.
 *
 * <p>Usage: {@code ReportAssembler DIR [LABEL]}; LABEL (e.g. "smoke run") goes under the title.
 */
public final class ReportAssembler {
  static final String[][] PARTS = {
    {"edge", "Overhead, streaming and footprint (scenarios 1, 2, 5)"},
    {"routing", "Routing decision cost and spillover (scenario 3)"},
    {"spillover", "Spillover matrix over offered loads (scenario 3)"},
    {"limits", "Limits (scenario 4)"},
  };

  private ReportAssembler() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: ReportAssembler DIR [LABEL]");
      System.exit(2);
    }
    Path md = assemble(Path.of(args[0]), args.length > 1 ? args[1] : "");
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  static Path assemble(Path dir, String label) {
    StringBuilder md = new StringBuilder("# Spillway benchmark report\n\n");
    if (!label.isBlank()) {
      md.append("**").append(label.strip()).append("**\n\n");
    }
    md.append("Assembled ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" by `bench/run-all` from the"
        + " reports below; each part states its own environment, load and baseline (measured in the same run).\n\n");
    JsonObject json = new JsonObject();
    for (String[] part : PARTS) {
      Path partMd = dir.resolve(part[0] + ".md");
      Path partJson = dir.resolve(part[0] + ".json");
      md.append("## ").append(part[1]).append("\n\n");
      if (!Files.isRegularFile(partMd)) {
        md.append("Not run in this run.\n\n");
        continue;
      }
      md.append(demote(read(partMd))).append('\n');
      if (Files.isRegularFile(partJson)) {
        json.put(part[0], new JsonObject(read(partJson)));
      }
    }
    try {
      Files.writeString(dir.resolve("REPORT.json"), json.encodePrettily() + "\n");
      Path out = dir.resolve("REPORT.md");
      Files.writeString(out, md.toString());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pushes every Markdown heading down two levels (# → ###), so parts nest under the report's ##. */
  static String demote(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean fence = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        fence = !fence;
      }
      out.append(!fence && line.startsWith("#") ? "##" + line : line).append('\n');
    }
    return out.toString().stripTrailing() + "\n";
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
