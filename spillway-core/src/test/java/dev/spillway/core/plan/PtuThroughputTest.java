package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    PtuThroughput t = PtuThroughput.resolve("gpt-4.1", PtuFigures.NONE);
    assertThat(t.inputTokensPerMinutePerPtu()).isEqualTo(3_000);
    assertThat(t.outputTokenWeight()).isEqualByComparingTo("4");
    assertThat(t.minimumPtu()).isEqualTo(15);
    assertThat(t.ptuIncrement()).isEqualTo(5);
    assertThat(t.basis()).isEqualTo("published figures for gpt-4.1");
    assertThat(PtuThroughput.resolve("gpt-5", PtuFigures.NONE).outputTokenWeight()).isEqualByComparingTo("8");
  }

  @Test
  void writtenFiguresWinOverThePublishedOnesOfTheNamedAzureModel() {
    PtuThroughput t = PtuThroughput.resolve("chat", figures("gpt-4o", null, null, 50, 50));
    assertThat(t.inputTokensPerMinutePerPtu()).isEqualTo(2_500);
    assertThat(t.minimumPtu()).isEqualTo(50);
    assertThat(t.ptuIncrement()).isEqualTo(50);
    assertThat(t.basis()).isEqualTo("published figures for gpt-4o with plan.models.chat");

    PtuThroughput own = PtuThroughput.resolve("llama", figures(null, 8_450L, "4", null, null));
    assertThat(own.inputTokensPerMinutePerPtu()).isEqualTo(8_450);
    assertThat(own.minimumPtu()).isEqualTo(PtuThroughput.DEFAULT_MINIMUM_PTU);
    assertThat(own.basis()).isEqualTo("plan.models.llama");
  }

  @Test
  void aModelWithoutFiguresNamesTheKeysToSet() {
    assertThatThrownBy(() -> PtuThroughput.resolve("chat", figures(null, 1_000L, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no PTU figures for model chat: set plan.models.chat.azureModel to a model with"
            + " published figures (gpt-5.4, ")
        .hasMessageEndingWith("or plan.models.chat.inputTokensPerMinutePerPtu and plan.models.chat.outputTokenWeight");
  }

  @Test
  void convertedTokensLeaveOutCachedPromptTokensAndWeighOutput() {
    PtuThroughput t = PublishedPtuFigures.of("gpt-4o").orElseThrow();
    assertThat(t.convertedTokens(1_000, 250, 100)).isEqualTo(750 + 400);
    assertThat(t.tokensPerMinute(15)).isEqualTo(37_500);
  }
}
