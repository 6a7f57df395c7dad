package dev.spillway.core.guard.output;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small checks for the tests: a fixed word, and card-like digit runs; each with its action, category and rule. */
final class TestChecks {
  private TestChecks() {}

  /** Finds every whole occurrence of {@code word}. */
  static TextCheck word(String word, GuardAction action, String category, int severity, String ruleId) {
    return pattern(Pattern.compile("\\b" + Pattern.quote(word) + "\\b"), action, category, severity, ruleId);
  }

  /** Finds 13 to 19 digits, optionally grouped by single spaces or dashes, as {@code pii.credit_card}. */
  static TextCheck card(GuardAction action) {
    return pattern(Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])"), action, "pii.credit_card", 5,
        "card");
  }

  /** Finds nothing, and counts the texts it was shown, their characters and the longest. */
  static final class Counting implements TextCheck {
    long seen;
    int calls;
    int longest;

    @Override
    public String id() {
      return "counting";
    }

    @Override
    public List<GuardFinding> inspect(CharSequence text) {
      seen += text.length();
      calls++;
      longest = Math.max(longest, text.length());
      return List.of();
    }
  }

  static TextCheck pattern(Pattern pattern, GuardAction action, String category, int severity, String ruleId) {
    return new TextCheck() {
      @Override
      public String id() {
        return "test:" + ruleId;
      }

      @Override
      public List<GuardFinding> inspect(CharSequence text) {
        List<GuardFinding> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          found.add(new GuardFinding(action, category, severity, ruleId, m.start(), m.end()));
        }
        return found;
      }
    };
  }
}
