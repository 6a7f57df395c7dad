package dev.spillway.core.guard.injection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The hand-written examples in {@code guard/injection-examples.txt}: {@code + } injections, {@code - } ordinary. */
final class InjectionExamples {
  private static final List<String> LINES = read();

  static List<String> injections() {
    return select("+ ");
  }

  static List<String> ordinary() {
    return select("- ");
  }

  private static List<String> select(String prefix) {
    List<String> out = new ArrayList<>();
    for (String line : LINES) {
      if (line.startsWith(prefix)) {
        out.add(line.substring(2).replace("\\n", "\n"));
      }
    }
    return out;
  }

  private static List<String> read() {
    try (InputStream in = InjectionExamples.class.getResourceAsStream("/guard/injection-examples.txt")) {
      if (in == null) {
        throw new IllegalStateException("guard/injection-examples.txt is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private InjectionExamples() {}
}
