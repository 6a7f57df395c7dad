package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Measures, and prints, how long a 100k-token chat prompt takes to estimate after warm-up. Not a
 * gate (timings vary by machine); the number goes in reviews of the event-loop budget.
 */
class PromptTimingTest {
  private static final String[] WORDS = ("the quick brown fox jumps over lazy dog gateway token budget spill backend "
      + "region latency quota window consumer model deployment prompt completion stream usage estimate 42 3.14 "
      + "naïve café お誕生日 😀 {\"k\": [1, 2]} def f(x): return x\n").split(" ");

  @Test
  void printsTheTimeToEstimateAHundredThousandTokenPrompt() {
    Random random = new Random(1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 75_000; i++) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("messages").addObject().put("role", "user").put("content", text.toString());
    TokenEstimator estimator = TokenEstimator.byModelFamily();

    long warmUpStart = System.nanoTime();
    estimator.warmUp(java.util.List.of("gpt-4o", "gpt-4"));
    long warmUpMillis = (System.nanoTime() - warmUpStart) / 1_000_000;
    long tokens = 0;
    for (int i = 0; i < 10; i++) {
      tokens = estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4o");
    }
    long[] micros = new long[15];
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      estimator.promptTokens(Operation.CHAT_COMPLETIONS, body, "gpt-4o");
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    Arrays.sort(micros);
    System.out.printf("100k-token prompt: %d tokens, %d chars; median %.1f ms, max %.1f ms (vocabulary load %d ms)%n",
        tokens, text.length(), micros[micros.length / 2] / 1000.0, micros[micros.length - 1] / 1000.0, warmUpMillis);
    assertThat(tokens).isBetween(90_000L, 130_000L);
  }
}
