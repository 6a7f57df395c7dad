package dev.spillway.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Supplier;

/** The machine/JVM/load facts and file writing that every benchmark report repeats. */
final class ReportEnvironment {
  private ReportEnvironment() {}

  /**
   * Writes {@code name.md} and {@code name.json} into {@code dir} (creating it) and returns the
   * Markdown path.
   */
  static Path write(Path dir, String name, Supplier<String> markdown, Supplier<JsonObject> json) {
    try {
      Files.createDirectories(dir);
      Path md = dir.resolve(name + ".md");
      Files.writeString(md, markdown.get());
      Files.writeString(dir.resolve(name + ".json"), json.get().encodePrettily() + "\n");
      return md;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir, e);
    }
  }

  /** The report's opening paragraph: who generated it when, on what machine, and how loaded it was. */
  static String header(
      String benchmark, String script, String sharing, Instant startedAt, double loadAtStart, double loadAtEnd) {
    return f(
        "Generated %s by `%s` (`%s`) on %d cores, Java %s (%s), %s %s. %s System load average (1 min) %s at the"
            + " start, %s at the end.\n\n",
        startedAt.truncatedTo(ChronoUnit.SECONDS),
        benchmark,
        script,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        sharing,
        load(loadAtStart),
        load(loadAtEnd));
  }

  /** The same facts for the JSON report's {@code environment} object. */
  static JsonObject json(Instant startedAt, double loadAtStart, double loadAtEnd) {
    return new JsonObject()
        .put("startedAt", startedAt.toString())
        .put("processors", Runtime.getRuntime().availableProcessors())
        .put("javaVersion", System.getProperty("java.version"))
        .put("javaVm", System.getProperty("java.vm.name"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"))
        .put("loadAverageAtStart", loadAtStart)
        .put("loadAverageAtEnd", loadAtEnd);
  }

  static String load(double average) {
    return average < 0 ? "unknown" : f("%.1f", average);
  }

  /** {@link String#format} in {@link Locale#ROOT}, so reports read the same on every machine. */
  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
