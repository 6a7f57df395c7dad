package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompletionTextTest {

  @Test
  void piecesAreExactlyOneTokenEachSoTheCountIsExact() {
    for (int tokens : new int[] {1, 2, 7, 20, 120, 1_000}) {
      List<String> pieces = CompletionText.pieces(new SplittableRandom(tokens), tokens);
      assertThat(pieces).hasSize(tokens);
      assertThat(TokenCounter.count(String.join("", pieces))).isEqualTo(tokens);
    }
  }

  @Test
  void sameSeedSameText() {
    assertThat(CompletionText.pieces(new SplittableRandom(7), 50))
        .isEqualTo(CompletionText.pieces(new SplittableRandom(7), 50))
        .isNotEqualTo(CompletionText.pieces(new SplittableRandom(8), 50));
  }

  @Test
  void defaultLengthStaysInRange() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1_000; i++) {
      assertThat(CompletionText.defaultLength(random)).isBetween(CompletionText.MIN_TOKENS, CompletionText.MAX_TOKENS);
    }
  }

  @Test
  void countsChatPromptsWithPerMessageOverhead() {
    CompletionRequest r = CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(SimHarness.CHAT));
    int content = TokenCounter.count("You are terse.") + TokenCounter.count("Say something about rivers.");
    assertThat(r.promptTokens()).isEqualTo(content + 2 * 4 + 3);
  }
}
