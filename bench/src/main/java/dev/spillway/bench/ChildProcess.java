package dev.spillway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A participant the benchmark started as its own OS process (gateway, simulator, nginx, Portkey),
 * optionally pinned with {@code taskset}, with its output in a log file. Every one started is
 * stopped by {@link #close} and, failing that, by a JVM shutdown hook, so a benchmark leaves
 * nothing running behind it.
 */
final class ChildProcess implements AutoCloseable {
  private static final List<ChildProcess> LIVE = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::close), "bench-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} with output to {@code logDir/name.log}.
   *
   * @param cpus a {@code taskset -c} list such as {@code "1"}; empty to leave the process unpinned
   */
  static ChildProcess start(String name, List<String> command, Optional<String> cpus, Path logDir, Map<String, String> env) {
    List<String> full = new ArrayList<>();
    if (cpus.isPresent()) {
      full.addAll(List.of("taskset", "-c", cpus.get()));
    }
    full.addAll(command);
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      ChildProcess child = new ChildProcess(name, pb.start(), log);
      LIVE.add(child);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", full), e);
    }
  }

  /** The java binary this JVM runs on, for child JVMs. */
  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Whether {@code program} is an executable on the PATH. */
  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The file its output goes to. */
  Path log() {
    return log;
  }

  /** The last {@code maxChars} of the log, for error messages. */
  String logTail(int maxChars) {
    try {
      String s = Files.readString(log);
      return s.length() <= maxChars ? s : s.substring(s.length() - maxChars);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** CPU seconds of this process and its children (nginx workers, node's helpers) so far. */
  double cpuSeconds() {
    return ProcStats.cpuSecondsWithDescendants(process.pid());
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and its descendants. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  /**
   * Sends SIGTERM and gives the process {@code grace} to exit on its own (a gateway drains and flushes its ledger in
   * that time), then SIGKILL; its descendants are killed either way.
   *
   * @return the exit code, or empty when it had to be killed (or had already been stopped)
   */
  OptionalInt stop(Duration grace) {
    if (!LIVE.remove(this) && !process.isAlive()) {
      return OptionalInt.empty();
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    OptionalInt exit = OptionalInt.empty();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = OptionalInt.of(process.exitValue());
      } else {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    return exit;
  }
}
