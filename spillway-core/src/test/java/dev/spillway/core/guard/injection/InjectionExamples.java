package dev.spillway.core.guard.injection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written examples in {@code guard/injection-examples.txt} (English) and {@code
 * guard/injection-examples-languages.txt} (German, French, Spanish, Italian, Portuguese, Dutch): {@code + }
 * injections, {@code - } ordinary.
 */
final class InjectionExamples {
  private static final List<String> LINES = read("/guard/injection-examples.txt");
  private static final List<String> LANGUAGE_LINES = read("/guard/injection-examples-languages.txt");

  static List<String> injections() {
    return select(LINES, "+ ");
  }

  static List<String> ordinary() {
    return select(LINES, "- ");
  }

  static List<String> languageInjections() {
    return select(LANGUAGE_LINES, "+ ");
  }

  static List<String> languageOrdinary() {
    return select(LANGUAGE_LINES, "- ");
  }

  private static List<String> select(List<String> lines, String prefix) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith(prefix)) {
        out.add(line.substring(2).replace("\\n", "\n"));
      }
    }
    return out;
  }

  private static List<String> read(String resource) {
    try (InputStream in = InjectionExamples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private InjectionExamples() {}
}
