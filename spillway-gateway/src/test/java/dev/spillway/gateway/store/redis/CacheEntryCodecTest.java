package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.cache.semantic.SemanticEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes the shared cache writes: what goes in comes out, and what it did not write reads as nothing. */
class CacheEntryCodecTest {
  private static final CachedAnswer ANSWER =
      AnswerStoreContract.answer("k1", "t:red", "gpt-4o", "Grüße — 東京", AnswerStoreContract.T0);

  private static SemanticEntry entry(String question, int dimensions) {
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) Math.sin(i + 1) / 10f;
    }
    return new SemanticEntry("partition-hash", question, vector, ANSWER);
  }

  @Test
  void anAnswerComesBackAsItWent() {
    AnswerStoreContract.assertSame(CacheEntryCodec.decodeAnswer(CacheEntryCodec.encodeAnswer(ANSWER)), ANSWER);
  }

  @Test
  void aSemanticEntryComesBackAsItWentWhateverItsQuestionsLength() {
    for (String question : java.util.List.of("", "How do I enable 2FA?", "ü".repeat(40_000))) {
      SemanticEntry e = entry(question, 384);
      SemanticEntry back = CacheEntryCodec.decodeEntry(CacheEntryCodec.encodeEntry(e)).orElseThrow();
      assertThat(back.partition()).isEqualTo(e.partition());
      assertThat(back.question()).isEqualTo(question);
      assertThat(back.vector()).containsExactly(e.vector());
      AnswerStoreContract.assertSame(java.util.Optional.of(back.answer()), ANSWER);
    }
  }

  @Test
  void aScopeComesBackAsItWent() {
    for (CacheScope scope : java.util.List.of(CacheScope.ALL, new CacheScope("c:alice", "gpt-4o", "k1"),
        new CacheScope("", "gpt-4o-mini", ""))) {
      assertThat(CacheEntryCodec.decodeScope(CacheEntryCodec.encodeScope(scope))).contains(scope);
    }
  }

  @Test
  void bytesItDidNotWriteReadAsNothing() {
    byte[] answer = CacheEntryCodec.encodeAnswer(ANSWER);
    byte[] entry = CacheEntryCodec.encodeEntry(entry("q", 8));
    assertThat(CacheEntryCodec.decodeAnswer(null)).isEmpty();
    assertThat(CacheEntryCodec.decodeAnswer(new byte[0])).isEmpty();
    assertThat(CacheEntryCodec.decodeAnswer("{\"choices\":[]}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(CacheEntryCodec.decodeAnswer(entry)).as("an entry is not an answer").isEmpty();
    assertThat(CacheEntryCodec.decodeEntry(answer)).as("an answer is not an entry").isEmpty();
    for (int cut = 1; cut < answer.length; cut += 7) {
      assertThat(CacheEntryCodec.decodeAnswer(Arrays.copyOf(answer, cut))).as("cut at %d", cut).isEmpty();
    }
    assertThat(CacheEntryCodec.decodeAnswer(Arrays.copyOf(answer, answer.length + 1))).as("trailing bytes").isEmpty();
    byte[] hugeLength = answer.clone();
    hugeLength[1] = 0x7f; // the key's length, now about two billion
    assertThat(CacheEntryCodec.decodeAnswer(hugeLength)).isEmpty();
  }
}
