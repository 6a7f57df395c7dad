package dev.spillway.bench;

import com.sun.management.ThreadMXBean;
import dev.spillway.core.guard.injection.InjectionAssessment;
import dev.spillway.core.guard.injection.InjectionSettings;
import dev.spillway.core.guard.injection.PromptInjectionDetector;
import dev.spillway.core.tokens.TokenEstimator;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prompt-injection detector's quality and cost on public labelled data: for each set of injections and of ordinary
 * prompts (read from files named on the command line; none is kept in this repository) the share the detector flags,
 * on the held-out part only ({@link LabelledPrompts}: the held-out half of a set whose other half was read while
 * tuning, or the whole of a set that was not), at the default threshold and over a sweep; and the time and allocation
 * of one inspection of a 2,000-token text. The chosen threshold is the lowest of the sweep with at most {@link
 * #MAX_FALSE_POSITIVES} flagged on every selecting ordinary set; the target is {@link #TARGET_DETECTION} of the
 * selecting injection sets' held-out prompts (pooled) at that bound. Writes {@code guard-injection.md} and {@code
 * .json}.
 *
 * <p>Usage: {@code bench/run-guard-injection --injections FILE --format csv:COLUMN|jsonl:FIELD [--name TEXT] [--license
 * TEXT] [--source TEXT] [--split halves|test] [--role select|report]} (repeat the group, or use {@code --benign FILE}
 * for ordinary prompts) {@code [--from 0.5] [--to 2.0] [--step 0.1] [--out DIR] [--note TEXT]}.
 */
public final class InjectionDetectionBenchmark {
  /** The most ordinary prompts a threshold may flag, per selecting set. */
  static final double MAX_FALSE_POSITIVES = 0.02;
  /** The share of held-out injections the default should flag. */
  static final double TARGET_DETECTION = 0.70;
  /** The length of a timed text, in o200k tokens. */
  static final int TIMING_TOKENS = 2_000;

  /** What the command line asks for. */
  record Settings(List<String[]> sets, double from, double to, double step, Path outDir, String note) {
    // each set: file, format, name, license, source, label (injection|benign), split, role
    static Settings parse(String[] args) {
      List<String[]> sets = new ArrayList<>();
      double from = 0.5;
      double to = 2.0;
      double step = 0.1;
      Path out = Path.of("bench/results");
      String note = "";
      List<String> fields = List.of("", "--format", "--name", "--license", "--source", "", "--split", "--role");
      CliFlags flags = new CliFlags(args, "--");
      while (flags.next()) {
        String v = flags.value();
        switch (flags.flag()) {
          case "--injections", "--benign" -> sets.add(new String[] {v, "", "", "", "", flags.flag().substring(2),
              "halves", "select"});
          case "--format", "--name", "--license", "--source", "--split", "--role" -> {
            if (sets.isEmpty()) {
              throw new IllegalArgumentException("--injections or --benign FILE comes before " + flags.flag());
            }
            sets.get(sets.size() - 1)[fields.indexOf(flags.flag())] = v;
          }
          case "--from" -> from = Double.parseDouble(v);
          case "--to" -> to = Double.parseDouble(v);
          case "--step" -> step = Double.parseDouble(v);
          case "--out" -> out = Path.of(v);
          case "--note" -> note = v;
          default -> throw flags.unknown();
        }
      }
      for (String[] s : sets) {
        if (s[1].isEmpty()) {
          throw new IllegalArgumentException("--format is required for " + s[0]);
        }
      }
      if (sets.stream().noneMatch(s -> s[5].equals("injections")) || sets.stream().noneMatch(s -> s[5].equals("benign"))) {
        throw new IllegalArgumentException("at least one --injections FILE and one --benign FILE are required");
      }
      return new Settings(List.copyOf(sets), from, to, step, out, note);
    }

    List<Double> thresholds() {
      List<Double> t = new ArrayList<>();
      for (int i = 0; from + i * step <= to + 1e-9; i++) {
        t.add(Math.round((from + i * step) * 1000) / 1000.0);
      }
      return t;
    }
  }

  /** The scores of one set's held-out prompts, and which rules matched how many of them. */
  record SetScores(LabelledPrompts set, double[] scores, double[] devScores, List<String> ruleIds, int[] ruleCounts) {
    int flagged(double threshold) {
      return count(scores, threshold);
    }

    static int count(double[] scores, double threshold) {
      int n = 0;
      for (double s : scores) {
        n += s >= threshold - 1e-9 ? 1 : 0;
      }
      return n;
    }

    double rate(double threshold) {
      return scores.length == 0 ? Double.NaN : (double) flagged(threshold) / scores.length;
    }
  }

  /** The time and allocation of inspections of 2,000-token texts. */
  record Timing(String kind, int texts, int meanTokens, int meanChars, int inspections, double p50Micros,
      double p90Micros, double p99Micros, double p999Micros, double maxMicros, double cpuMicrosMean,
      double bytesPerInspection) {}

  /** Everything one run measured. */
  record Run(Settings settings, Instant startedAt, double loadAtStart, double loadAtEnd, List<SetScores> sets,
      double defaultThreshold, double chosen, double devChosen, List<Timing> timings) {

    /** Whether {@code t} flags at most the bound of every selecting ordinary set's held-out prompts. */
    boolean qualifies(double t) {
      return sets.stream().filter(s -> !s.set().injection() && s.set().selects())
          .allMatch(s -> s.flagged(t) <= MAX_FALSE_POSITIVES * s.scores().length);
    }

    /** The same on the development halves: how the default was chosen. */
    boolean qualifiesOnDevelopment(double t) {
      return sets.stream().filter(s -> !s.set().injection() && s.set().selects() && s.devScores().length > 0)
          .allMatch(s -> SetScores.count(s.devScores(), t) <= MAX_FALSE_POSITIVES * s.devScores().length);
    }

    /** The pooled share of the selecting injection sets' held-out prompts flagged at {@code t}. */
    double detection(double t) {
      int flagged = 0;
      int total = 0;
      for (SetScores s : sets) {
        if (s.set().injection() && s.set().selects()) {
          flagged += s.flagged(t);
          total += s.scores().length;
        }
      }
      return total == 0 ? Double.NaN : (double) flagged / total;
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
    Path md = InjectionDetectionReport.write(run);
    System.out.println(InjectionDetectionReport.summary(run));
    System.out.println("wrote " + md);
  }

  static String usage() {
    return "usage: bench/run-guard-injection --injections FILE --format csv:COLUMN|jsonl:FIELD [--name TEXT]"
        + " [--license TEXT] [--source TEXT] [--split halves|test] [--role select|report] [--benign FILE ...]"
        + " [--from 0.5] [--to 2.0] [--step 0.1] [--out DIR] [--note TEXT]";
  }

  static Run run(Settings settings) {
    Instant started = Instant.now();
    double loadStart = load();
    PromptInjectionDetector detector = new PromptInjectionDetector();
    List<String> ids = PromptInjectionDetector.ruleIds();
    List<SetScores> scored = new ArrayList<>();
    for (String[] s : settings.sets()) {
      LabelledPrompts set = LabelledPrompts.read(Path.of(s[0]), s[1], s[2], s[3], s[4], s[5].equals("injections"),
          s[6], s[7]);
      double[] scores = new double[set.heldOut().size()];
      double[] devScores = set.development().stream().mapToDouble(p -> detector.assess(p).score()).toArray();
      int[] counts = new int[ids.size()];
      for (int i = 0; i < scores.length; i++) {
        InjectionAssessment a = detector.assess(set.heldOut().get(i));
        scores[i] = a.score();
        for (String id : a.rules()) {
          counts[ids.indexOf(id)]++;
        }
      }
      scored.add(new SetScores(set, scores, devScores, ids, counts));
    }
    Run partial = new Run(settings, started, loadStart, Double.NaN, scored, InjectionSettings.DEFAULT_THRESHOLD,
        Double.NaN, Double.NaN, List.of());
    double chosen = settings.thresholds().stream().filter(partial::qualifies).findFirst().orElse(Double.NaN);
    double devChosen = settings.thresholds().stream().filter(partial::qualifiesOnDevelopment).findFirst()
        .orElse(Double.NaN);
    List<Timing> timings = timings(detector, scored);
    return new Run(settings, started, loadStart, load(), scored, InjectionSettings.DEFAULT_THRESHOLD, chosen,
        devChosen, timings);
  }

  /** Inspections of 2,000-token texts made of held-out ordinary prompts, without and with an injection at the end. */
  static List<Timing> timings(PromptInjectionDetector detector, List<SetScores> sets) {
    List<String> ordinary = new ArrayList<>();
    List<String> attacks = new ArrayList<>();
    for (SetScores s : sets) {
      (s.set().injection() ? attacks : ordinary).addAll(s.set().heldOut());
    }
    TokenEstimator tokens = TokenEstimator.byModelFamily();
    List<String> plain = new ArrayList<>();
    List<String> attacked = new ArrayList<>();
    int next = 0;
    for (int t = 0; t < 50; t++) {
      StringBuilder text = new StringBuilder();
      while (tokens.countText(text.toString(), "gpt-4o") < TIMING_TOKENS) {
        text.append(ordinary.get(next++ % ordinary.size())).append("\n\n");
      }
      plain.add(text.toString());
      attacked.add(text + attacks.get((t * 7919) % attacks.size()));
    }
    return List.of(time("ordinary text, 2,000+ tokens", detector, plain, tokens),
        time("ordinary text with an injection at its end", detector, attacked, tokens));
  }

  private static Timing time(String kind, PromptInjectionDetector detector, List<String> texts, TokenEstimator tokens) {
    for (int i = 0; i < 20_000; i++) {
      detector.inspect(texts.get(i % texts.size()));
    }
    int rounds = 20_000;
    long[] nanos = new long[rounds];
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long bytesBefore = threads.getThreadAllocatedBytes(id);
    long cpuBefore = threads.getCurrentThreadCpuTime();
    int sink = 0;
    for (int i = 0; i < rounds; i++) {
      String text = texts.get(i % texts.size());
      long t0 = System.nanoTime();
      sink += detector.inspect(text).size();
      nanos[i] = System.nanoTime() - t0;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
    long bytes = threads.getThreadAllocatedBytes(id) - bytesBefore;
    Arrays.sort(nanos);
    int meanTokens = (int) texts.stream().mapToInt(t -> tokens.countText(t, "gpt-4o")).average().orElse(0);
    int meanChars = (int) texts.stream().mapToInt(String::length).average().orElse(0);
    if (sink < 0) {
      throw new IllegalStateException();
    }
    return new Timing(kind, texts.size(), meanTokens, meanChars, rounds, micros(nanos, 0.50), micros(nanos, 0.90),
        micros(nanos, 0.99), micros(nanos, 0.999), nanos[rounds - 1] / 1000.0, cpu / 1000.0 / rounds,
        (double) bytes / rounds);
  }

  private static double micros(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private InjectionDetectionBenchmark() {}
}
