package dev.spillway.core.guard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Applies the {@link GuardAction#MASK} findings of one or more checks to the text they were found in: each span is
 * replaced by a placeholder named for its category's last part, upper case ({@code pii.credit_card} gives {@code
 * [CREDIT_CARD]}, {@code regex} gives {@code [REGEX]}). Findings of other actions and findings without a span are
 * ignored.
 *
 * <p>Overlapping spans (from different checks, say a pattern and a PII recognizer) are merged into one and replaced by
 * a single placeholder, that of the longest finding among them (the first of equal ones, by start); spans that only
 * touch stay apart, each with its own placeholder. The placeholder never carries the masked text.
 */
public final class Masking {
  private Masking() {}

  /**
   * The text with every MASK finding's span replaced.
   *
   * @throws IllegalArgumentException when a MASK finding's span reaches past the end of the text (findings of another
   *     text); the message gives offsets only
   */
  public static String apply(CharSequence text, List<GuardFinding> findings) {
    List<GuardFinding> masks = new ArrayList<>();
    for (GuardFinding f : findings) {
      if (f.action() == GuardAction.MASK && f.hasSpan()) {
        if (f.end() > text.length()) {
          throw new IllegalArgumentException("a finding's span [" + f.start() + ", " + f.end() + ") lies outside a"
              + " text of " + text.length() + " characters");
        }
        masks.add(f);
      }
    }
    if (masks.isEmpty()) {
      return text.toString();
    }
    masks.sort(Comparator.comparingInt(GuardFinding::start).thenComparingInt(f -> -f.end()));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int k = 0;
    while (k < masks.size()) {
      GuardFinding longest = masks.get(k);
      int start = longest.start();
      int end = longest.end();
      k++;
      while (k < masks.size() && masks.get(k).start() < end) {
        GuardFinding f = masks.get(k);
        end = Math.max(end, f.end());
        if (f.end() - f.start() > longest.end() - longest.start()) {
          longest = f;
        }
        k++;
      }
      out.append(text, copied, start).append(placeholder(longest.category()));
      copied = end;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * The placeholder of a finding of {@code category}, the one rule for input and output: {@code [BLOCKED]} for a
   * blocklist's match; otherwise the category's last dotted part, upper case, in brackets ({@code [CREDIT_CARD]} for
   * {@code pii.credit_card}).
   */
  public static String placeholder(String category) {
    if (category.equals("blocklist") || category.startsWith("blocklist.")) {
      return "[BLOCKED]";
    }
    String last = category.substring(category.lastIndexOf('.') + 1);
    return "[" + (last.isEmpty() ? "REDACTED" : last.toUpperCase(Locale.ROOT)) + "]";
  }
}
