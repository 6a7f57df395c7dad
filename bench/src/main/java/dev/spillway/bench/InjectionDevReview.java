package dev.spillway.bench;

import dev.spillway.core.guard.injection.InjectionAssessment;
import dev.spillway.core.guard.injection.InjectionSettings;
import dev.spillway.core.guard.injection.PromptInjectionDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A tuning aid for the prompt-injection rules: prints the <b>development half</b> of each set given as to {@link
 * InjectionDetectionBenchmark} (same arguments): the injections the detector misses and the ordinary prompts it flags
 * at the default threshold, each with its score and matched rules, cut to a length. It never prints a held-out prompt:
 * a set marked {@code --split test} has no development half and prints nothing, and of a set split in halves only the
 * half {@link LabelledPrompts#development} puts in development is read. Extra flags: {@code --limit N} prompts per set
 * (default 40), {@code --chars N} per prompt (default 300), {@code --seed N} to pick another sample of the misses,
 * {@code --threshold T} (default: the detector's default).
 */
public final class InjectionDevReview {
  public static void main(String[] args) {
    int limit = 40;
    int chars = 300;
    long seed = 1;
    double threshold = InjectionSettings.DEFAULT_THRESHOLD;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--limit" -> limit = Integer.parseInt(args[++i]);
        case "--chars" -> chars = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--threshold" -> threshold = Double.parseDouble(args[++i]);
        default -> rest.add(args[i]);
      }
    }
    InjectionDetectionBenchmark.Settings settings =
        InjectionDetectionBenchmark.Settings.parse(rest.toArray(String[]::new));
    PromptInjectionDetector detector = new PromptInjectionDetector();
    for (String[] s : settings.sets()) {
      LabelledPrompts set = LabelledPrompts.read(Path.of(s[0]), s[1], s[2], s[3], s[4], s[5].equals("injections"),
          s[6], s[7]);
      List<String> shown = new ArrayList<>();
      int wrong = 0;
      for (String p : set.development()) {
        InjectionAssessment a = detector.assess(p);
        if (a.reaches(threshold) != set.injection()) {
          wrong++;
          shown.add(String.format("%.2f %s | %s", a.score(), a.rules(), oneLine(p, chars)));
        }
      }
      Collections.shuffle(shown, new Random(seed));
      System.out.printf("== %s: development %d, %s %d (%.1f %%)%n", set.name(), set.development().size(),
          set.injection() ? "missed" : "flagged", wrong, 100.0 * wrong / Math.max(1, set.development().size()));
      shown.stream().limit(limit).forEach(System.out::println);
    }
  }

  private static String oneLine(String p, int chars) {
    String s = p.replaceAll("\\s+", " ");
    return s.length() <= chars ? s : s.substring(0, chars) + "...";
  }

  private InjectionDevReview() {}
}
