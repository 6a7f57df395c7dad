package dev.spillway.bench;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.semantic.LexicalGuard;
import dev.spillway.core.cache.semantic.LexicalGuards;
import dev.spillway.core.cache.semantic.LocalMiniLmEmbedder;
import dev.spillway.core.cache.semantic.QuestionPairs;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The semantic cache's precision: how often a threshold on cosine similarity, with and without the lexical guards,
 * gives a true paraphrase its cached answer (hit rate) and a different question one (false-hit rate). Embeds every
 * pair of one or more public labelled paraphrase sets (read from files named on the command line; none is kept in this
 * repository) and of the project's own pairs ({@link QuestionPairs}: hard negatives, paraphrases, and pairs beyond the
 * guards) with the in-process embedder, sweeps the threshold, and picks the default: the lowest threshold with at most
 * {@link #MAX_FALSE_HITS} false hits, guards on, on every public set given {@code --role select} (the default; {@code
 * report} sets are swept and shown only) and none on the hard negatives. Writes {@code cache-precision.md} and {@code
 * .json}.
 *
 * <p>Usage: {@code bench/run-cache-precision --pairs FILE --format paws|sts|mrpc [--source TEXT] [--license TEXT]
 * [--limit N] [--role select|report]} (repeat the group for another set) {@code [--from 0.80] [--to 0.99] [--step
 * 0.01] [--out DIR] [--note TEXT]} ({@code --note}: why these sets, printed in the report).
 */
public final class CachePrecisionBenchmark {
  /** The most false hits a default threshold may give on a public set, guards on. */
  static final double MAX_FALSE_HITS = 0.02;

  /** What the command line asks for. */
  record Settings(List<String[]> sets, double from, double to, double step, Path outDir, String note) {
    static Settings parse(String[] args) {
      List<String[]> sets = new ArrayList<>(); // file, format, source, license, limit, role
      double from = 0.80;
      double to = 0.99;
      double step = 0.01;
      Path out = Path.of("bench/results");
      String note = "";
      CliFlags flags = new CliFlags(args, "--");
      while (flags.next()) {
        String v = flags.value();
        switch (flags.flag()) {
          case "--pairs" -> sets.add(new String[] {v, "paws", "", "", "0", "select"});
          case "--format", "--source", "--license", "--limit", "--role" -> {
            if (sets.isEmpty()) {
              throw new IllegalArgumentException("--pairs FILE comes before " + flags.flag());
            }
            int field = List.of("", "--format", "--source", "--license", "--limit", "--role").indexOf(flags.flag());
            if (field == 5 && !List.of("select", "report").contains(v)) {
              throw new IllegalArgumentException("--role must be select or report, was " + v);
            }
            sets.get(sets.size() - 1)[field] = v;
          }
          case "--from" -> from = Double.parseDouble(v);
          case "--to" -> to = Double.parseDouble(v);
          case "--step" -> step = Double.parseDouble(v);
          case "--out" -> out = Path.of(v);
          case "--note" -> note = v;
          default -> throw flags.unknown();
        }
      }
      if (sets.stream().noneMatch(x -> x[5].equals("select"))) {
        throw new IllegalArgumentException("--pairs FILE is required (a public labelled paraphrase set with --role"
            + " select, the default)");
      }
      return new Settings(List.copyOf(sets), from, to, step, out, note);
    }

    List<Double> thresholds() {
      List<Double> t = new ArrayList<>();
      for (int i = 0; from + i * step <= to + 1e-9; i++) {
        t.add(Math.round((from + i * step) * 10_000) / 10_000.0);
      }
      return t;
    }
  }

  /** Everything one run measured. */
  record Run(Settings settings, Instant startedAt, double loadAtStart, double loadAtEnd, List<LabelledPairs> sets,
      List<PairScores> publicScores, PairScores hardNegatives, PairScores paraphrases, PairScores beyond,
      double chosen, long wordNetLoadMillis, double wordNetHeapMiB, long embedMillis, int sentences,
      double configuredDefault) {

    /** Whether public set {@code i} takes part in choosing the default ({@code --role select}). */
    boolean selects(int i) {
      return settings.sets().get(i)[5].equals("select");
    }

    /** Whether {@code t} keeps false hits within bounds, guards on: every selecting set and the hard negatives. */
    boolean qualifies(double t) {
      for (int i = 0; i < publicScores.size(); i++) {
        PairScores s = publicScores.get(i);
        if (selects(i) && s.hits(t, false, true) > MAX_FALSE_HITS * s.count(false)) {
          return false;
        }
      }
      return hardNegatives.hits(t, false, true) == 0;
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
    Path md = CachePrecisionReport.write(run);
    System.out.println(CachePrecisionReport.summary(run));
    System.out.println("wrote " + md);
  }

  static String usage() {
    return "usage: bench/run-cache-precision --pairs FILE --format paws|sts|mrpc [--source TEXT] [--license TEXT]"
        + " [--limit N] [--role select|report] [--pairs FILE ...] [--from 0.80] [--to 0.99] [--step 0.01] [--out DIR]"
        + " [--note TEXT]";
  }

  static Run run(Settings settings) {
    Instant started = Instant.now();
    double loadStart = load();
    List<LabelledPairs> sets = new ArrayList<>();
    for (String[] s : settings.sets()) {
      sets.add(LabelledPairs.read(Path.of(s[0]), s[1], s[2], s[3], Integer.parseInt(s[4])));
    }

    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    LexicalGuard guard = LexicalGuards.standard();
    guard.refuse("warm up", "the antonyms"); // the first call reads WordNet
    long wordNetMillis = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    double heapMiB = (rt.totalMemory() - rt.freeMemory() - heapBefore) / (1024.0 * 1024.0);

    List<List<String[]>> publicPairs = new ArrayList<>();
    for (LabelledPairs s : sets) {
      publicPairs.add(s.pairs().stream()
          .map(p -> new String[] {p.a(), p.b(), p.paraphrase() ? "paraphrase" : "different"}).toList());
    }
    List<String[]> hard = own(QuestionPairs.hardNegatives());
    List<String[]> para = own(QuestionPairs.paraphrases());
    List<String[]> beyond = own(QuestionPairs.beyondGuards());
    List<String[]> all = new ArrayList<>();
    publicPairs.forEach(all::addAll);
    all.addAll(hard);
    all.addAll(para);
    all.addAll(beyond);

    LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder();
    embedder.embed("load the model"); // its one-time load is not the embedding time
    long e0 = System.nanoTime();
    Map<String, float[]> vectors = PairScores.embed(all, embedder, 256);
    long embedMillis = (System.nanoTime() - e0) / 1_000_000;

    List<PairScores> publicScores = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      publicScores.add(PairScores.of(sets.get(i).name(), publicPairs.get(i), vectors, guard));
    }
    PairScores hardScores = PairScores.of("hard negatives", hard, vectors, guard);
    PairScores paraScores = PairScores.of("own paraphrases", para, vectors, guard);
    PairScores beyondScores = PairScores.of("beyond the guards", beyond, vectors, guard);
    Run partial = new Run(settings, started, loadStart, load(), sets, publicScores, hardScores, paraScores,
        beyondScores, Double.NaN, wordNetMillis, heapMiB, embedMillis, vectors.size(),
        CacheSettings.DEFAULT_THRESHOLD);
    double chosen = settings.thresholds().stream().filter(partial::qualifies).findFirst().orElse(Double.NaN);
    return new Run(settings, started, loadStart, load(), sets, publicScores, hardScores, paraScores, beyondScores,
        chosen, wordNetMillis, heapMiB, embedMillis, vectors.size(), CacheSettings.DEFAULT_THRESHOLD);
  }

  private static List<String[]> own(List<QuestionPairs.Pair> pairs) {
    return pairs.stream().map(p -> new String[] {p.a(), p.b(), p.kind()}).toList();
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private CachePrecisionBenchmark() {}
}
