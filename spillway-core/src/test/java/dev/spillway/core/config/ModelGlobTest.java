package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A consumer's model globs ({@code models: [gpt-4o, "text-embedding-*"]}). */
class ModelGlobTest {

  @Test
  void starsAndQuestionMarksMatchAsDocumented() {
    assertThat(ConsumerConfig.globMatches("*", "anything\nat all")).isTrue();
    assertThat(ConsumerConfig.globMatches("gpt-4o", "gpt-4o")).isTrue();
    assertThat(ConsumerConfig.globMatches("gpt-4o", "gpt-4o-mini")).isFalse();
    assertThat(ConsumerConfig.globMatches("text-embedding-*", "text-embedding-3-small")).isTrue();
    assertThat(ConsumerConfig.globMatches("text-embedding-*", "gpt-4o")).isFalse();
    assertThat(ConsumerConfig.globMatches("gpt-4?", "gpt-4o")).isTrue();
    assertThat(ConsumerConfig.globMatches("gpt-4?", "gpt-4")).isFalse();
    assertThat(ConsumerConfig.globMatches("*mini", "gpt-4o-mini")).isTrue();
    assertThat(ConsumerConfig.globMatches("g*4*i", "gpt-4o-mini")).isTrue();
    assertThat(ConsumerConfig.globMatches("gpt-*", "gpt-4\nx")).as("no wildcard crosses a line break").isFalse();
  }

  /** The matcher agrees with the regular expression it replaced, on every short glob and text drawn here. */
  @Test
  void agreesWithTheRegularExpressionItReplaced() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      String glob = draw(random, "ab*?", 6);
      String text = draw(random, "ab\n", 7);
      assertThat(ConsumerConfig.globMatches(glob, text)).as("%s against %s", glob, text).isEqualTo(byRegex(glob, text));
    }
  }

  /**
   * Found by fuzzing the config loader: a glob of many stars that does not match ("************S*") took seconds to
   * load, since the regular expression backtracked exponentially; with 40 stars it would never end. This is a hang
   * guard, not a speed test: the walk takes microseconds.
   */
  @Test
  void manyStarsThatDoNotMatchEndAtOnce() {
    String glob = "*".repeat(40) + "S*";
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      assertThat(ConsumerConfig.globMatches(glob, "text-embedding-3-small-" + "x".repeat(200))).isFalse();
      assertThat(ConsumerConfig.globMatches(glob, "gpt-4o-S")).isTrue();
    });
  }

  private static String draw(Random random, String alphabet, int maxLength) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static boolean byRegex(String glob, String text) {
    if (glob.equals("*")) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return text.matches(regex.toString());
  }
}
