package dev.spillway.core.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeyHasherTest {
  private static final String PEPPER = "test-pepper-0123456789";
  private final KeyHasher hasher = new KeyHasher(PEPPER);

  @Test
  void hashIsHmacSha256OfSaltThenSecretKeyedWithThePepper() throws Exception {
    byte[] salt = hasher.newSalt();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(PEPPER.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(salt);
    byte[] expected = mac.doFinal("secret".getBytes(StandardCharsets.UTF_8));

    assertThat(hasher.hash(salt, "secret")).isEqualTo(expected).hasSize(KeyHasher.HASH_BYTES);
    assertThat(salt).hasSize(KeyHasher.SALT_BYTES);
  }

  @Test
  void saltAndPepperBothChangeTheHash() {
    byte[] salt = hasher.newSalt();
    assertThat(hasher.hash(hasher.newSalt(), "secret")).isNotEqualTo(hasher.hash(salt, "secret"));
    assertThat(new KeyHasher("another-pepper-0123456789").hash(salt, "secret")).isNotEqualTo(hasher.hash(salt, "secret"));
  }

  @Test
  void comparisonGoesThroughMessageDigestIsEqualForEqualLengthMismatches() {
    byte[] salt = hasher.newSalt();
    byte[] hash = hasher.hash(salt, "secret");
    byte[] firstByteDiffers = hash.clone();
    firstByteDiffers[0] ^= 1;
    byte[] lastByteDiffers = hash.clone();
    lastByteDiffers[hash.length - 1] ^= 1;

    assertThat(hasher.matches(salt, "secret", hash)).isTrue();
    assertThat(hasher.matches(salt, "secret", firstByteDiffers)).isFalse();
    assertThat(hasher.matches(salt, "secret", lastByteDiffers)).isFalse();
    assertThat(hasher.matches(salt, "secret", java.util.Arrays.copyOf(hash, hash.length - 1))).isFalse();
    for (byte[] other : new byte[][] {firstByteDiffers, lastByteDiffers}) {
      assertThat(KeyHasher.constantTimeEquals(hash, other))
          .isEqualTo(java.security.MessageDigest.isEqual(hash, other))
          .isFalse();
    }
    assertThat(KeyHasher.constantTimeEquals(hash, hash.clone())).isTrue();
  }

  @Test
  void aShortPepperIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> new KeyHasher("short-pepper"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth.keyPepper")
        .hasMessageNotContaining("short-pepper");
    assertThatThrownBy(() -> new KeyHasher("        x        ")).isInstanceOf(IllegalArgumentException.class);
  }
}
