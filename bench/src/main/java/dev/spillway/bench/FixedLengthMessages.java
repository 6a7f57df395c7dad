package dev.spillway.bench;

import dev.spillway.core.tokens.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Questions of everyday English words, each exactly a given number of o200k tokens long; the same every run. */
final class FixedLengthMessages {
  private static final String[] WORDS = ("how do I change the billing address on my account and why was my last"
      + " invoice higher than the one before it can you explain which plan fits a small team that needs more"
      + " storage what happens to shared files when someone leaves please tell me where to find the export option"
      + " for reports from last month and whether the refund for the cancelled order has been sent yet").split(" ");
  private static final String MODEL = "gpt-4o";

  private FixedLengthMessages() {}

  /** {@code count} different messages of exactly {@code tokens} tokens each, as {@code estimator} counts them. */
  static List<String> make(int count, int tokens, TokenEstimator estimator) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Random random = new Random(i);
      StringBuilder text = new StringBuilder();
      int tries = 0;
      while (estimator.countText(text.toString(), MODEL) < tokens) {
        String word = WORDS[random.nextInt(WORDS.length)];
        String candidate = text.isEmpty() ? capitalized(word) : text + " " + word;
        if (estimator.countText(candidate, MODEL) <= tokens) {
          text.setLength(0);
          text.append(candidate);
        } else if (++tries > 1_000) {
          throw new IllegalStateException("no message of " + tokens + " tokens from these words");
        }
      }
      out.add(text.toString());
    }
    for (String m : out) {
      if (estimator.countText(m, MODEL) != tokens) {
        throw new IllegalStateException("a message of " + estimator.countText(m, MODEL) + " tokens");
      }
    }
    return out;
  }

  private static String capitalized(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
