package dev.spillway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The report half of {@code bench/run-compare}: reads the {@code edge.json} of every round the script ran, before
 * and after alternately ({@code ROUNDS/round-1-before}, {@code round-1-after}, {@code round-2-before}, ...), and writes
 * {@code NAME.md} and {@code NAME.json} with each round's Spillway peak req/s, each side's median, the ratio after ÷
 * before of the medians against the threshold (0.95), and the machine and the two jars ({@link CompareReport}).
 * Runs nothing itself.
 *
 * <p>{@code java -cp spillway-bench.jar dev.spillway.bench.CompareBuilds --help} lists the flags.
 */
public final class CompareBuilds {
  static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.CompareBuilds [flags]
        --rounds-dir DIR   folder holding round-<i>-before/edge.json and round-<i>-after/edge.json (required)
        --rounds N         rounds per side, 1..N (required)
        --before FILE      the before jar as given to bench/run-compare (required)
        --after FILE       the after jar as given (required)
        --before-copy FILE the copy of the before jar the rounds ran (default: --before itself)
        --after-copy FILE  the copy of the after jar the rounds ran (default: --after itself)
        --out DIR          where NAME.md and NAME.json go (default bench/results)
        --name NAME        report file name without extension (default compare)
        --threshold R      after ÷ before must be at least this (default 0.95)
        --label TEXT       bold line under the title (e.g. that this was a smoke run)
        --command TEXT     the command that ran the rounds, quoted in the report
      """;

  static final double DEFAULT_THRESHOLD = 0.95;

  private CompareBuilds() {}

  /**
   * One build.
   *
   * @param path the jar as given
   * @param ran the file the rounds ran: a copy bench/run-compare took at the start, so a rebuild during the run cannot
   *     change what is measured (the same as {@code path} without a copy)
   * @param bytes size of {@code ran}
   * @param modified last-modified time of {@code ran} ({@code cp -p} keeps the original's)
   * @param sha256 of {@code ran}
   * @param changedSince whether {@code path} no longer holds the bytes that ran (rebuilt or removed during the run)
   */
  record Jar(Path path, Path ran, long bytes, Instant modified, String sha256, boolean changedSince) {
    static Jar of(Path path) {
      return of(path, path);
    }

    static Jar of(Path path, Path ran) {
      if (!Files.isRegularFile(ran)) {
        throw new IllegalArgumentException("no such jar: " + ran);
      }
      try {
        String sha = sha256(ran);
        boolean changed = !ran.equals(path) && !(Files.isRegularFile(path) && sha256(path).equals(sha));
        return new Jar(path.toAbsolutePath().normalize(), ran.toAbsolutePath().normalize(), Files.size(ran),
            Files.getLastModifiedTime(ran).toInstant().truncatedTo(ChronoUnit.SECONDS), sha, changed);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + ran, e);
      }
    }

    private static String sha256(Path file) throws IOException {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
          }
        }
        return HexFormat.of().formatHex(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * One EdgeBenchmark run of one build.
   *
   * @param side {@code before} or {@code after}
   * @param report the folder holding this round's edge.md and edge.json
   * @param spillway Spillway's closed-loop peak, req/s
   * @param spillwayErrors non-2xx answers and transport errors during that peak
   * @param direct the simulator's peak reached directly, when measured
   * @param spillwayCores CPU cores the gateway used during its peak
   * @param upstreamCores CPU cores the simulator used meanwhile
   * @param loadGeneratorCores CPU cores the load generator used meanwhile; negative if unknown
   * @param gatewayJar the jar the round says it ran ({@code null} from an edge.json that does not say)
   * @param simulatorJar the jar of the round's upstream simulator ({@code null} as above)
   * @param notes the overhead scenario's notes (warm-up curves)
   */
  record Round(
      int round,
      String side,
      Path report,
      Instant startedAt,
      double loadAverageAtStart,
      double loadAverageAtEnd,
      double spillway,
      long spillwayErrors,
      double peakSeconds,
      OptionalDouble direct,
      double spillwayCores,
      double upstreamCores,
      double loadGeneratorCores,
      String loadTool,
      int connections,
      String gatewayJar,
      String simulatorJar,
      String javaVersion,
      String javaVm,
      String os,
      String loadCpus,
      String serverCpus,
      List<String> notes) {}

  /**
   * Everything the report shows.
   *
   * @param machineCpus CPUs of the machine (not what a pinned JVM sees)
   * @param rounds in the order they ran: before 1, after 1, before 2, after 2, ...
   * @param finishedAt when the report was made, just after the last round
   * @param readNotes caveats found while reading the rounds
   */
  record Comparison(
      Jar before,
      Jar after,
      List<Round> rounds,
      int machineCpus,
      double threshold,
      Instant finishedAt,
      String label,
      String command,
      List<String> readNotes) {
    Comparison {
      rounds = List.copyOf(rounds);
      readNotes = List.copyOf(readNotes);
    }

    List<Round> side(String name) {
      return rounds.stream().filter(r -> r.side().equals(name)).toList();
    }
  }

  /** The command line: where the rounds are, the two jars, and where the report goes. */
  record Options(
      Path roundsDir,
      int rounds,
      Path before,
      Path after,
      Path beforeCopy,
      Path afterCopy,
      Path out,
      String name,
      double threshold,
      String label,
      String command) {}

  public static void main(String[] args) {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n") + USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    Comparison c;
    try {
      c = read(o.roundsDir(), o.rounds(), Jar.of(o.before(), o.beforeCopy()), Jar.of(o.after(), o.afterCopy()),
          o.threshold(), o.label(), o.command());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    Path md = CompareReport.write(c, o.out(), o.name());
    System.out.println(CompareReport.verdict(c).replace("**", ""));
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  /**
   * Reads the flags.
   *
   * @throws IllegalArgumentException {@code help}, or naming the flag that is unknown, bad or missing
   */
  static Options parse(String... args) {
    Path roundsDir = null;
    int rounds = 0;
    Path before = null;
    Path after = null;
    Path beforeCopy = null;
    Path afterCopy = null;
    Path out = Path.of("bench", "results");
    String name = "compare";
    double threshold = DEFAULT_THRESHOLD;
    String label = "";
    String command = "";
    for (CliFlags flags = new CliFlags(args, "--"); flags.next(); ) {
      String v = flags.value();
      try {
        switch (flags.flag()) {
          case "--rounds-dir" -> roundsDir = Path.of(v);
          case "--rounds" -> rounds = Integer.parseInt(v);
          case "--before" -> before = Path.of(v);
          case "--after" -> after = Path.of(v);
          case "--before-copy" -> beforeCopy = Path.of(v);
          case "--after-copy" -> afterCopy = Path.of(v);
          case "--out" -> out = Path.of(v);
          case "--name" -> name = v;
          case "--threshold" -> threshold = Double.parseDouble(v);
          case "--label" -> label = v;
          case "--command" -> command = v;
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    if (roundsDir == null || before == null || after == null || rounds < 1) {
      throw new IllegalArgumentException("--rounds-dir, --rounds (at least 1), --before and --after are required");
    }
    return new Options(roundsDir, rounds, before, after, Objects.requireNonNullElse(beforeCopy, before),
        Objects.requireNonNullElse(afterCopy, after), out, name, threshold, label, command);
  }

  /**
   * Reads rounds 1..{@code rounds} of both sides from {@code roundsDir}.
   *
   * @throws IllegalArgumentException naming the round whose edge.json is missing, has no Spillway peak, or ran
   *     another jar than the side's
   */
  static Comparison read(
      Path roundsDir, int rounds, Path beforeJar, Path afterJar, double threshold, String label, String command) {
    return read(roundsDir, rounds, Jar.of(beforeJar), Jar.of(afterJar), threshold, label, command);
  }

  /** {@link #read(Path, int, Path, Path, double, String, String)} with each jar's copy that ran. */
  static Comparison read(
      Path roundsDir, int rounds, Jar before, Jar after, double threshold, String label, String command) {
    List<Round> out = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      for (String side : List.of("before", "after")) {
        Jar jar = side.equals("before") ? before : after;
        Round r = round(roundsDir.resolve("round-" + i + "-" + side), i, side);
        Path ran = r.gatewayJar() == null ? null : Path.of(r.gatewayJar()).toAbsolutePath().normalize();
        if (ran != null && !ran.equals(jar.ran()) && !ran.equals(jar.path())) {
          if (Files.exists(ran)) {
            throw new IllegalArgumentException(ReportEnvironment.f("round %d (%s) ran %s, not the %s jar %s", i, side,
                ran, side, jar.ran()));
          }
          // A copy bench/run-compare took lives only as long as its run: a report made again later cannot check it.
          unchecked.add(ReportEnvironment.f("round %d (%s) ran %s", i, side, ran));
        }
        out.add(r);
      }
    }
    List<String> notes = unchecked.isEmpty() ? List.of() : List.of("Not checked that the rounds ran the jars above: "
        + String.join("; ", unchecked) + ", which no longer exist (bench/run-compare's copies live only as long as"
        + " its run), so this report was made again after the run.");
    return new Comparison(before, after, out, machineCpus(), threshold, Instant.now().truncatedTo(ChronoUnit.SECONDS),
        label, command, notes);
  }

  static Round round(Path dir, int round, String side) {
    Path file = dir.resolve("edge.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          ReportEnvironment.f("round %d (%s): no %s; did that EdgeBenchmark run finish?", round, side, file));
    }
    JsonObject j;
    try {
      j = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject overhead = j.getJsonObject("overhead");
    JsonObject spillway = participant(overhead, "spillway");
    if (spillway == null) {
      throw new IllegalArgumentException(ReportEnvironment.f(
          "round %d (%s): %s has no overhead result for spillway (run with --scenarios overhead and spillway among"
              + " --participants)", round, side, file));
    }
    JsonObject direct = participant(overhead, "direct");
    JsonObject env = j.getJsonObject("environment", new JsonObject());
    JsonObject peak = spillway.getJsonObject("peak");
    double seconds = peak.getDouble("seconds", 0.0);
    double loadCpu = peak.getDouble("loadGeneratorCpuSeconds", -1.0);
    return new Round(
        round,
        side,
        dir,
        Instant.parse(env.getString("startedAt", Instant.EPOCH.toString())),
        env.getDouble("loadAverageAtStart", -1.0),
        env.getDouble("loadAverageAtEnd", -1.0),
        peak.getDouble("requestsPerSecond"),
        peak.getLong("errors", 0L),
        seconds,
        direct == null
            ? OptionalDouble.empty()
            : OptionalDouble.of(direct.getJsonObject("peak").getDouble("requestsPerSecond")),
        spillway.getDouble("peakServerCores", -1.0),
        spillway.getDouble("peakUpstreamCores", -1.0),
        loadCpu < 0 || seconds <= 0 ? -1 : loadCpu / seconds,
        overhead.getString("loadTool", peak.getString("tool", "?")),
        overhead.getInteger("connections", 0),
        j.getString("gatewayJar"),
        j.getString("simulatorJar"),
        env.getString("javaVersion", "?"),
        env.getString("javaVm", "?"),
        env.getString("os", "?"),
        j.getString("loadCpus"),
        j.getString("serverCpus"),
        overhead.getJsonArray("notes", new JsonArray()).stream().map(Objects::toString).toList());
  }

  private static JsonObject participant(JsonObject overhead, String name) {
    if (overhead == null) {
      return null;
    }
    for (Object o : overhead.getJsonArray("participants", new JsonArray())) {
      if (o instanceof JsonObject p && name.equals(p.getString("participant"))) {
        return p;
      }
    }
    return null;
  }

  /** The machine's CPUs from /proc/stat (this JVM is not pinned by run-compare), else what the JVM sees. */
  private static int machineCpus() {
    int n = ProcStats.cpuBusySeconds().length;
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }
}
