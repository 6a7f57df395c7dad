package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptPrefixHashTest {
  private static final byte[] SALT = "a ledger's salt of 32 bytes.....".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final int[] TOKENS = {12, 345, 6789, 0, -1, Integer.MAX_VALUE};

  @Test
  void equalTokensGiveEqualHashesAndAnyChangeAnother() {
    PromptPrefixHash hash = PromptPrefixHash.keyed(SALT, Optional.empty());
    assertThat(hash.of(TOKENS)).isEqualTo(PromptPrefixHash.keyed(SALT.clone(), Optional.empty()).of(TOKENS.clone()));
    int[] changed = TOKENS.clone();
    changed[0]++;
    assertThat(hash.of(changed)).isNotEqualTo(hash.of(TOKENS));
    assertThat(hash.of(Arrays.copyOf(TOKENS, 5))).isNotEqualTo(hash.of(TOKENS));
  }

  @Test
  void theHashDependsOnTheSaltAndThePepperAndIsNotAPlainDigest() throws Exception {
    long salted = PromptPrefixHash.keyed(SALT, Optional.empty()).of(TOKENS);
    byte[] otherSalt = SALT.clone();
    otherSalt[0] ^= 1;
    assertThat(PromptPrefixHash.keyed(otherSalt, Optional.empty()).of(TOKENS)).isNotEqualTo(salted);
    assertThat(PromptPrefixHash.keyed(SALT, Optional.of("pepper-0123456789")).of(TOKENS)).isNotEqualTo(salted);
    assertThat(PromptPrefixHash.keyed(SALT, Optional.of("")).of(TOKENS)).as("an empty pepper is none")
        .isEqualTo(salted);

    ByteBuffer bytes = ByteBuffer.allocate(TOKENS.length * 4);
    Arrays.stream(TOKENS).forEach(bytes::putInt);
    long plain = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.array())).getLong();
    assertThat(salted).isNotEqualTo(plain);
  }

  @Test
  void aShortSaltIsRefusedAndTheKeyIsNeverShown() {
    assertThatThrownBy(() -> PromptPrefixHash.keyed(new byte[15], Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PromptPrefixHash.keyed(SALT, Optional.of("pepper-0123456789")).toString())
        .doesNotContain("pepper").doesNotContain("salt");
  }
}
