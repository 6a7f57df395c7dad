package dev.spillway.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.spillway.core.guard.lists.BlocklistCheck;
import dev.spillway.core.guard.lists.KeywordAutomaton;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * How fast a large blocklist is built and searched, in one thread, in this JVM: 10,000 generated terms (pseudo-words
 * of English-like syllables, a fifth of them two-word phrases) are built into a {@link BlocklistCheck} (timed cold
 * and warm), then a generated prose text of 2,000 o200k tokens (some 8,700 characters of common English words, with
 * a few terms planted in it) is inspected many times after a warm-up, each call timed on its own; prints the build
 * times (wall and this thread's CPU: on a loaded machine the wall time of a build is mostly waiting for a core),
 * p50/p99/p99.9/max per inspect in microseconds, and the load average before and after. A helper for the guard's
 * full benchmark, no report file: {@code java -cp bench/target/spillway-bench.jar
 * dev.spillway.bench.GuardListsSpeed [--terms N] [--inspects N] [--warmups N] [--seed N]}.
 */
public final class GuardListsSpeed {
  private static final String[] SYLLABLES = {
    "ka", "ter", "mon", "bri", "lo", "van", "zu", "pel", "dra", "fen", "sho", "qui", "rap", "tin", "gol", "mer",
    "sta", "ble", "cor", "nix", "wa", "der", "plu", "tra", "vo", "sen", "hal", "ri", "gen", "mo", "lux", "bas"
  };
  private static final String[] COMMON = (
      "the of and to in is you that it he was for on are as with his they at be this have from or one had by word "
      + "but not what all were we when your can said there use an each which she do how their if will up other "
      + "about out many then them these so some her would make like him into time has look two more write go see "
      + "number no way could people my than first water been call who oil its now find long down day did get come "
      + "made may part over new sound take only little work know place year live me back give most very after "
      + "thing our just name good sentence man think say great where help through much before line right too mean "
      + "old any same tell boy follow came want show also around form three small set put end does another well "
      + "large must big even such because turn here why ask went men read need land different home us move try "
      + "kind hand picture again change off play spell air away animal house point page letter mother answer found "
      + "study still learn should world report figures board quarter budget service customer order invoice").split(" ");

  private GuardListsSpeed() {}

  public static void main(String[] args) {
    int termCount = 10_000;
    int inspects = 100_000;
    int warmups = 30_000;
    long seed = 42;
    CliFlags flags = new CliFlags(args, "");
    try {
      while (flags.next()) {
        try {
          switch (flags.flag()) {
            case "--terms" -> termCount = Integer.parseInt(flags.value());
            case "--inspects" -> inspects = Integer.parseInt(flags.value());
            case "--warmups" -> warmups = Integer.parseInt(flags.value());
            case "--seed" -> seed = Long.parseLong(flags.value());
            default -> throw flags.unknown();
          }
        } catch (IllegalArgumentException e) {
          throw flags.wrap(e);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage().equals("help")
          ? "usage: GuardListsSpeed [--terms 10000] [--inspects 100000] [--warmups 30000] [--seed 42]"
          : e.getMessage());
      System.exit(e.getMessage().equals("help") ? 0 : 2);
    }
    Random random = new Random(seed);
    List<String> terms = terms(random, termCount);
    String text = text(random, terms, 2_000);
    run(terms, text, inspects, warmups);
  }

  private static void run(List<String> terms, String text, int inspects, int warmups) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf("load average %.2f on %d cores%n", ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    long coldCpu = threads.getCurrentThreadCpuTime();
    long cold = System.nanoTime();
    BlocklistCheck check = BlocklistCheck.builder().name("bench").terms(terms).build();
    double coldMillis = (System.nanoTime() - cold) / 1e6;
    double coldCpuMillis = (threads.getCurrentThreadCpuTime() - coldCpu) / 1e6;
    long[] builds = new long[20];
    long[] buildsCpu = new long[builds.length];
    for (int i = 0; i < builds.length; i++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      BlocklistCheck.builder().name("bench").terms(terms).build();
      builds[i] = System.nanoTime() - start;
      buildsCpu[i] = threads.getCurrentThreadCpuTime() - cpu;
    }
    Arrays.sort(builds);
    Arrays.sort(buildsCpu);
    KeywordAutomaton automaton = KeywordAutomaton.build(terms);
    int findings = check.inspect(text).size();
    System.out.printf("terms %,d (%,d states, ~%.1f MB of arrays)%n",
        terms.size(), automaton.states(), automaton.states() * 18 / 1e6);
    System.out.printf("build: first %.1f ms (CPU %.1f ms, class loading and interpreter included);"
            + " then median of %d %.1f ms (CPU %.1f ms)%n",
        coldMillis, coldCpuMillis, builds.length, builds[builds.length / 2] / 1e6,
        buildsCpu[buildsCpu.length / 2] / 1e6);
    System.out.printf("text %,d chars, %,d o200k tokens, %d findings per inspect%n",
        text.length(), tokens().countTokens(text), findings);
    long sink = 0;
    for (int i = 0; i < warmups; i++) {
      sink += check.inspect(text).size();
    }
    long[] nanos = new long[inspects];
    for (int i = 0; i < inspects; i++) {
      long start = System.nanoTime();
      sink += check.inspect(text).size();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf("inspect x %,d after %,d warm-up: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us"
            + " (%.2f ns per char at p50)%n",
        inspects, warmups, micros(rank(nanos, 0.50)), micros(rank(nanos, 0.99)), micros(rank(nanos, 0.999)),
        micros(nanos[nanos.length - 1]), (double) rank(nanos, 0.50) / text.length());
    if (sink != (long) findings * (warmups + inspects)) {
      throw new IllegalStateException("findings changed between inspections");
    }
    System.out.printf("load average %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** Distinct generated terms: two to four syllables, a fifth of them two such words. */
  static List<String> terms(Random random, int count) {
    Set<String> terms = new LinkedHashSet<>();
    while (terms.size() < count) {
      String term = word(random);
      if (random.nextInt(5) == 0) {
        term += " " + word(random);
      }
      terms.add(term);
    }
    return new ArrayList<>(terms);
  }

  private static String word(Random random) {
    StringBuilder word = new StringBuilder();
    int syllables = 2 + random.nextInt(3);
    for (int i = 0; i < syllables; i++) {
      word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return word.toString();
  }

  /** Sentences of common words, with a term in about one sentence in twenty, until the text has {@code tokens}. */
  static String text(Random random, List<String> terms, int tokens) {
    Encoding encoding = tokens();
    StringBuilder text = new StringBuilder();
    while (true) {
      StringBuilder sentence = new StringBuilder();
      int words = 6 + random.nextInt(14);
      for (int i = 0; i < words; i++) {
        String word = random.nextInt(words * 20) == 0
            ? terms.get(random.nextInt(terms.size()))
            : COMMON[random.nextInt(COMMON.length)];
        sentence.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
        sentence.append(i + 1 == words ? ". " : random.nextInt(8) == 0 ? ", " : " ");
      }
      if (encoding.countTokens(text + sentence.toString()) > tokens) {
        return text.toString().strip();
      }
      text.append(sentence);
    }
  }

  private static Encoding tokens() {
    return Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double micros(long nanos) {
    return nanos / 1e3;
  }
}
