package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodingChooserTest {
  private static EncodingType of(String model) {
    return EncodingChooser.forModel(model, Map.of());
  }

  @Test
  void currentOpenAiFamiliesUseO200k() {
    for (String model : new String[] {"gpt-4o", "gpt-4o-mini-2024-07-18", "chatgpt-4o-latest", "gpt-4.1-nano", "gpt-4.5-preview",
        "gpt-5", "gpt-5-mini", "o1", "o1-mini", "o3", "o3-mini", "o4-mini-2025-04-16", "GPT-4O", "openai/gpt-4o"}) {
      assertThat(of(model)).as(model).isEqualTo(EncodingType.O200K_BASE);
    }
  }

  @Test
  void gpt4Gpt35AndEmbeddingsUseCl100k() {
    for (String model : new String[] {"gpt-4", "gpt-4-0613", "gpt-4-turbo", "gpt-4-32k", "gpt-3.5-turbo", "gpt-3.5-turbo-instruct",
        "gpt-35-turbo", "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002", "davinci-002"}) {
      assertThat(of(model)).as(model).isEqualTo(EncodingType.CL100K_BASE);
    }
  }

  @Test
  void unknownModelsAndNullDefaultToO200k() {
    assertThat(of("my-finetune")).isEqualTo(EncodingType.O200K_BASE);
    assertThat(of("o10k-bot")).isEqualTo(EncodingType.O200K_BASE);
    assertThat(of(null)).isEqualTo(EncodingType.O200K_BASE);
  }

  @Test
  void anOverrideForTheLogicalModelNameWins() {
    Map<String, String> overrides = Map.of("chat-default", "cl100k_base", "gpt-4", "o200k_base");
    assertThat(EncodingChooser.forModel("chat-default", overrides)).isEqualTo(EncodingType.CL100K_BASE);
    assertThat(EncodingChooser.forModel("gpt-4", overrides)).isEqualTo(EncodingType.O200K_BASE);
    assertThat(EncodingChooser.forModel("gpt-4-turbo", overrides)).isEqualTo(EncodingType.CL100K_BASE);
  }

  @Test
  void anUnknownOverrideNamesTheModelAndTheValue() {
    assertThatThrownBy(() -> EncodingChooser.forModel("m", Map.of("m", "o300k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m'")
        .hasMessageContaining("o300k");
  }
}
