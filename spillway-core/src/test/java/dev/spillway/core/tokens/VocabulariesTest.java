package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VocabulariesTest {
  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
  private final AtomicInteger loads = new AtomicInteger();
  private final Vocabularies vocabularies = Vocabularies.loadingWith(type -> {
    loads.incrementAndGet();
    return registry.getEncoding(type);
  });

  @Test
  void aVocabularyIsLoadedOnItsFirstUseOnlyAndReadWithoutLoadingAfter() {
    TokenEstimator estimator = TokenEstimator.byModelFamily(vocabularies);
    assertThat(estimator.vocabularyLoaded("gpt-4o")).isFalse();
    assertThat(loads).hasValue(0);

    assertThat(estimator.countText("Hello, world!", "gpt-4o"))
        .isEqualTo(registry.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary("Hello, world!"));
    assertThat(estimator.vocabularyLoaded("gpt-4o")).isTrue();
    assertThat(estimator.vocabularyLoaded("gpt-4")).as("another family's vocabulary").isFalse();

    estimator.countText("again", "gpt-4o");
    estimator.countText("and again", "gpt-4o-mini");
    assertThat(loads).as("one load, then reads").hasValue(1);
  }

  @Test
  void warmingUpLoadsTheModelsVocabulariesSoThatCountingNeedNotWait() {
    TokenEstimator estimator = TokenEstimator.byModelFamily(vocabularies);
    estimator.warmUp(List.of("gpt-4"));
    assertThat(estimator.vocabularyLoaded("gpt-4")).isTrue();
    assertThat(estimator.vocabularyLoaded("gpt-4o")).isFalse();
    assertThat(loads).hasValue(1);
  }
}
