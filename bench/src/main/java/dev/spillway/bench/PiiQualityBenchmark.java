package dev.spillway.bench;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.pii.PiiCheck;
import dev.spillway.core.guard.pii.PiiEntity;
import dev.spillway.core.guard.pii.PiiSample;
import dev.spillway.core.guard.pii.PiiSampleGenerator;
import dev.spillway.core.guard.pii.PiiScores;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The PII guard's quality: precision and recall per entity of {@link PiiCheck} (every entity configured, phone region
 * US) on the generated labelled sample ({@link PiiSampleGenerator}, from spillway-core's test classes, the test-jar
 * the cache precision benchmark already reads its question pairs from), the varieties of text where it erred, the
 * spread of the figures over other seeds, and the time the check takes per text. Writes {@code guard-pii.md} and
 * {@code .json}.
 *
 * <p>Usage: {@code bench/run-guard-pii [--seed N] [--seeds N] [--out DIR]}: {@code --seed} the sample of the main
 * table (default {@link PiiSampleGenerator#SEED}, the one {@code PiiQualityTest} asserts on); {@code --seeds} how many
 * other seeds (1 to N) the spread covers (default 10).
 */
public final class PiiQualityBenchmark {
  /** What the command line asks for. */
  record Settings(long seed, int seeds, Path outDir) {
    static Settings parse(String[] args) {
      long seed = PiiSampleGenerator.SEED;
      int seeds = 10;
      Path out = Path.of("bench/results");
      CliFlags flags = new CliFlags(args, "--");
      while (flags.next()) {
        try {
          switch (flags.flag()) {
            case "--seed" -> seed = Long.parseLong(flags.value());
            case "--seeds" -> seeds = Integer.parseInt(flags.value());
            case "--out" -> out = Path.of(flags.value());
            default -> throw flags.unknown();
          }
        } catch (NumberFormatException e) {
          throw flags.wrap(e);
        }
      }
      if (seeds < 0) {
        throw new IllegalArgumentException("--seeds must be 0 or more, was " + seeds);
      }
      return new Settings(seed, seeds, out);
    }
  }

  /** The figures of one seed. */
  record SeedRun(long seed, int texts, int characters, PiiScores scores) {}

  /** Everything one run measured. */
  record Run(Settings settings, Instant startedAt, double loadAtStart, double loadAtEnd, PiiCheck check,
      List<PiiSample> sample, SeedRun main, List<SeedRun> others, long nanos, Map<PiiEntity, Long> nanosByEntity) {

    double microsPerText(long n) {
      return n / 1000.0 / sample.size();
    }

    /** The lowest precision and recall of {@code entity} over the main seed and the others. */
    double[] lowest(PiiEntity entity) {
      double p = main.scores().of(entity).precision();
      double r = main.scores().of(entity).recall();
      for (SeedRun o : others) {
        p = Math.min(p, o.scores().of(entity).precision());
        r = Math.min(r, o.scores().of(entity).recall());
      }
      return new double[] {p, r};
    }
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("help".equals(e.getMessage()) ? usage() : e.getMessage() + "\n" + usage());
      System.exit("help".equals(e.getMessage()) ? 0 : 2);
      return;
    }
    Run run = run(settings);
    Path md = PiiQualityReport.write(run);
    System.out.println(PiiQualityReport.table(run));
    System.out.println("wrote " + md);
  }

  static String usage() {
    return "usage: bench/run-guard-pii [--seed N] [--seeds N] [--out DIR]";
  }

  static Run run(Settings settings) {
    Instant started = Instant.now();
    double loadStart = load();
    PiiCheck check = PiiCheck.builder().allEntities(GuardAction.MASK).build();
    List<PiiSample> sample = PiiSampleGenerator.generate(settings.seed());
    SeedRun main = measure(check, settings.seed(), sample);
    List<SeedRun> others = new ArrayList<>();
    for (long seed = 1; seed <= settings.seeds(); seed++) {
      if (seed != settings.seed()) {
        others.add(measure(check, seed, PiiSampleGenerator.generate(seed)));
      }
    }
    // Timed last, when every scanner has run some ten thousand times: the best of three passes.
    long nanos = time(check, sample);
    Map<PiiEntity, Long> byEntity = new EnumMap<>(PiiEntity.class);
    for (PiiEntity e : PiiEntity.values()) {
      byEntity.put(e, time(PiiCheck.builder().entity(e, GuardAction.MASK).build(), sample));
    }
    return new Run(settings, started, loadStart, load(), check, sample, main, others, nanos, byEntity);
  }

  private static SeedRun measure(PiiCheck check, long seed, List<PiiSample> sample) {
    int chars = sample.stream().mapToInt(s -> s.text().length()).sum();
    return new SeedRun(seed, sample.size(), chars, PiiScores.score(check, sample));
  }

  /** The fastest of three passes of {@code check} over the sample, in nanoseconds. */
  private static long time(PiiCheck check, List<PiiSample> sample) {
    long best = Long.MAX_VALUE;
    int findings = 0;
    for (int pass = 0; pass < 3; pass++) {
      long t0 = System.nanoTime();
      for (PiiSample s : sample) {
        findings += check.inspect(s.text()).size();
      }
      best = Math.min(best, System.nanoTime() - t0);
    }
    if (findings < 0) {
      throw new AssertionError(); // keeps the findings alive for the timing
    }
    return best;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private PiiQualityBenchmark() {}
}
