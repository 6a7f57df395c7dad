package dev.spillway.core.guard.injection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FoldTest {
  @Test
  void accentsAndCaseAreDropped() {
    assertThat(Fold.word("Règles")).isEqualTo("regles");
    assertThat(Fold.word("ÜBER")).isEqualTo("uber");
    assertThat(Fold.word("instrucción")).isEqualTo("instruccion");
    assertThat(Fold.word("instruções")).isEqualTo("instrucoes");
  }

  @Test
  void lettersThatStandForTwoAreWrittenOut() {
    assertThat(Fold.word("vergiß")).isEqualTo("vergiss");
    assertThat(Fold.word("Œuvre")).isEqualTo("oeuvre");
    assertThat(Fold.word("Æther")).isEqualTo("aether");
  }

  @Test
  void plainWordsAndOtherScriptsAreKept() {
    assertThat(Fold.word("ignore")).isEqualTo("ignore");
    assertThat(Fold.word("don’t")).isEqualTo("don't");
    assertThat(Fold.word("пароль")).isEqualTo("пароль");
  }
}
