package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.PlanConfig.PtuFigures;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PtuThroughputTest {
  private static PtuFigures figures(String azureModel, Long tpm, String weight, Integer minimum, Integer increment) {
    return new PtuFigures(Optional.ofNullable(azureModel),
        tpm == null ? OptionalLong.empty() : OptionalLong.of(tpm),
        Optional.ofNullable(weight).map(BigDecimal::new),
        minimum == null ? OptionalInt.empty() : OptionalInt.of(minimum),
        increment == null ? OptionalInt.empty() : OptionalInt.of(increment));
  }

  @Test
  void aModelNamedLikeAnAzureModelGetsItsPublishedFigures() {
    PtuThroughput t = PtuThroughput.resolve("gpt-4.1", PtuFigures.NONE).orElseThrow();
    assertThat(t.inputTokensPerMinutePerPtu()).isEqualTo(3_000);
    assertThat(t.outputTokenWeight()).isEqualByComparingTo("4");
    assertThat(t.minimumPtu()).isEqualTo(15);
    assertThat(t.ptuIncrement()).isEqualTo(5);
    assertThat(t.basis()).isEqualTo("published figures for gpt-4.1");
    assertThat(PtuThroughput.resolve("gpt-5", PtuFigures.NONE).orElseThrow().outputTokenWeight()).isEqualByComparingTo("8");
  }

  @Test
  void writtenFiguresWinOverThePublishedOnesOfTheNamedAzureModel() {
    PtuThroughput t = PtuThroughput.resolve("chat", figures("gpt-4o", null, null, 50, 50)).orElseThrow();
    assertThat(t.inputTokensPerMinutePerPtu()).isEqualTo(2_500);
    assertThat(t.minimumPtu()).isEqualTo(50);
    assertThat(t.ptuIncrement()).isEqualTo(50);
    assertThat(t.basis()).isEqualTo("published figures for gpt-4o with plan.models.chat");

    PtuThroughput own = PtuThroughput.resolve("llama", figures(null, 8_450L, "4", null, null)).orElseThrow();
    assertThat(own.inputTokensPerMinutePerPtu()).isEqualTo(8_450);
    assertThat(own.minimumPtu()).isEqualTo(PtuThroughput.DEFAULT_MINIMUM_PTU);
    assertThat(own.basis()).isEqualTo("plan.models.llama");
  }

  @Test
  void aModelWithoutFiguresHasNoneAndTheKeysToSetAreNamed() {
    assertThat(PtuThroughput.resolve("chat", figures(null, 1_000L, null, null, null))).isEmpty();
    assertThat(PtuThroughput.resolve("chat", figures("gpt-9", null, null, null, null))).isEmpty();
    assertThat(PtuThroughput.missing("chat"))
        .startsWith("set plan.models.chat.azureModel to a model with published figures (gpt-5.4, ")
        .endsWith("or plan.models.chat.inputTokensPerMinutePerPtu and plan.models.chat.outputTokenWeight");
  }

  @Test
  void convertedTokensLeaveOutCachedPromptTokensAndWeighOutput() {
    PtuThroughput t = PublishedPtuFigures.of("gpt-4o").orElseThrow();
    assertThat(t.convertedTokens(1_000, 250, 100)).isEqualTo(750 + 400);
    assertThat(t.tokensPerMinute(15)).isEqualTo(37_500);
  }
}
