package dev.spillway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What deploy/Dockerfile says, read instruction by instruction (continuation lines joined, comments dropped): its
 * stages, and of the last stage the user, the exposed ports, the health check and the command line. No image is built
 * here (no registry is reachable); the tests check these facts against the manifests and run them.
 */
record DockerfileFacts(List<String> stages, String finalUser, List<Integer> exposed, List<String> healthcheck,
    List<String> entrypoint, List<String> cmd, String jlinkModules) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static DockerfileFacts read(Path file) throws IOException {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.startsWith("#")) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
      } else {
        instructions.add(current.append(t).toString());
        current.setLength(0);
      }
    }
    List<String> stages = new ArrayList<>();
    String user = null;
    List<Integer> exposed = new ArrayList<>();
    List<String> healthcheck = List.of();
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    String jlink = "";
    for (String instruction : instructions) {
      String keyword = instruction.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
      String rest = instruction.substring(keyword.length()).strip();
      switch (keyword) {
        case "FROM" -> {
          stages.add(rest);
          user = null;
          exposed.clear();
        }
        case "USER" -> user = rest;
        case "EXPOSE" -> {
          for (String port : rest.split("\\s+")) {
            exposed.add(Integer.parseInt(port.replace("/tcp", "")));
          }
        }
        case "HEALTHCHECK" -> healthcheck = execForm(rest.substring(rest.indexOf("CMD ") + 4));
        case "ENTRYPOINT" -> entrypoint = execForm(rest);
        case "CMD" -> cmd = execForm(rest);
        case "RUN" -> {
          int at = rest.indexOf("--add-modules ");
          if (rest.startsWith("jlink") && at >= 0) {
            jlink = rest.substring(at + "--add-modules ".length()).split("\\s+", 2)[0];
          }
        }
        default -> { }
      }
    }
    return new DockerfileFacts(List.copyOf(stages), user, List.copyOf(exposed), healthcheck, entrypoint, cmd, jlink);
  }

  /** An instruction's JSON array (exec form); the shell form is refused, it would not get signals as PID 1. */
  private static List<String> execForm(String text) throws IOException {
    if (!text.startsWith("[")) {
      throw new AssertionError("not in exec form (a JSON array): " + text);
    }
    return JSON.readValue(text, new TypeReference<List<String>>() {});
  }

  /** The JVM's options: the ENTRYPOINT's words between {@code java} and {@code -jar JAR}. */
  List<String> jvmFlags() {
    int jar = entrypoint.indexOf("-jar");
    return entrypoint.subList(1, jar);
  }

  /** The final stage's numeric user id, if USER names one. */
  Optional<Integer> uid() {
    String id = finalUser == null ? "" : finalUser.split(":")[0];
    return id.matches("\\d+") ? Optional.of(Integer.parseInt(id)) : Optional.empty();
  }
}
