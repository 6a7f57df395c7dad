package dev.spillway.gateway.ledger;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster of the test's own, which the test may stop and start at will: {@code initdb} into a
 * temporary directory, {@code pg_ctl} on a free loopback port with its unix socket in that directory, trust
 * authentication for {@code postgres}. Never the machine's shared server. When the JVM runs as root, the server
 * binaries run as the {@code postgres} OS user (PostgreSQL refuses root) through {@code runuser}.
 */
final class PrivatePostgresCluster implements AutoCloseable {
  private static final long COMMAND_TIMEOUT_SECONDS = 60;

  private final Path binDir;
  private final Path dir;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final boolean asPostgresUser;

  private PrivatePostgresCluster(Path binDir, Path dir, int port, boolean asPostgresUser) {
    this.binDir = binDir;
    this.dir = dir;
    this.dataDir = dir.resolve("data");
    this.logFile = dir.resolve("server.log");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Creates and starts a cluster; throws {@link IllegalStateException} (with the reason) when that is impossible. */
  static PrivatePostgresCluster start() throws IOException, InterruptedException {
    Path bin = binDir().orElseThrow(() -> new IllegalStateException(
        "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("spillway-pg-");
    PrivatePostgresCluster cluster = new PrivatePostgresCluster(bin, dir, freePort(), root);
    try {
      if (root) {
        cluster.runChecked(List.of("chown", "postgres:postgres", dir.toString()), false);
      }
      cluster.runChecked(List.of(bin.resolve("initdb").toString(), "-D", cluster.dataDir.toString(), "-U", "postgres",
          "-A", "trust", "-E", "UTF8", "--no-instructions"), root);
      cluster.startServer();
      return cluster;
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  String jdbcUrl() {
    return PostgresTestSupport.jdbcUrl("127.0.0.1", port, "postgres");
  }

  /** Starts the server and waits until it accepts connections (after crash recovery, if it was killed). */
  void startServer() throws IOException, InterruptedException {
    runChecked(List.of(pgCtl(), "-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"), asPostgresUser);
  }

  /** Kills the server the hard way ({@code -m immediate}: no checkpoint, connections cut), like a crash. */
  void stopImmediately() throws IOException, InterruptedException {
    runChecked(List.of(pgCtl(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"), asPostgresUser);
  }

  @Override
  public void close() {
    try {
      if (Files.exists(dataDir.resolve("postmaster.pid"))) {
        run(List.of(pgCtl(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"), asPostgresUser);
      }
    } catch (IOException | RuntimeException e) {
      // best effort; the directory goes anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private String pgCtl() {
    return binDir.resolve("pg_ctl").toString();
  }

  private void runChecked(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
    Result r = run(command, asPostgres);
    if (r.exit != 0) {
      String log = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit + ": " + r.output + log);
    }
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes(); // pg_ctl -l sends the server's output to the log file, so this ends
    if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", full) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + "s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The newest /usr/lib/postgresql/N/bin with initdb and pg_ctl, else the directory of initdb on PATH. */
  private static Optional<Path> binDir() throws IOException {
    Path base = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(base)) {
      try (Stream<Path> versions = Files.list(base)) {
        Optional<Path> found = versions.map(v -> v.resolve("bin"))
            .filter(PrivatePostgresCluster::hasServerBinaries)
            .max(Comparator.comparingInt(PrivatePostgresCluster::majorVersion));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        Path initdb = Path.of(entry, "initdb");
        if (Files.isExecutable(initdb)) {
          Path real = initdb.toRealPath().getParent();
          if (hasServerBinaries(real)) {
            return Optional.of(real);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean hasServerBinaries(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))
        && Files.isExecutable(bin.resolve("postgres"));
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
