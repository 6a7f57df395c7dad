package dev.spillway.core.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.GatewayKeyFormat.ParsedKey;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GatewayKeyFormatTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void generatedPartsHaveTheDocumentedShape() {
    for (int i = 0; i < 200; i++) {
      String keyId = GatewayKeyFormat.newKeyId(random);
      String secret = GatewayKeyFormat.newSecret(random);
      assertThat(keyId).matches("[A-Za-z0-9]{12}");
      assertThat(secret).matches("[A-Za-z0-9_-]{43}");
      assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
      String key = GatewayKeyFormat.format(keyId, secret);
      assertThat(key).hasSize(GatewayKeyFormat.KEY_LENGTH);
      assertThat(GatewayKeyFormat.parse(key)).contains(new ParsedKey(keyId, secret));
    }
  }

  @Test
  void secretMayContainTheSeparator() {
    String secret = "_-" + "A".repeat(41);
    assertThat(GatewayKeyFormat.parse("sk-spw-abcdefABCDEF_" + secret)).contains(new ParsedKey("abcdefABCDEF", secret));
  }

  @Test
  void rejectsMalformedKeys() {
    String good = "sk-spw-abcdefABCDEF_" + "A".repeat(43);
    assertThat(GatewayKeyFormat.parse(good)).isPresent();
    for (String bad : new String[] {
        null, "", "sk-spw-", good + "A", good.substring(1), good.toUpperCase(),
        "sk-spw-abcdef-BCDEF_" + "A".repeat(43), "sk-spw-abcdefABCDEFG" + "A".repeat(43),
        "sk-spw-abcdefABCDEF_" + "A".repeat(42) + "+", "sk-spw-abcdefABCDEF_" + "A".repeat(42) + "=",
        "sk-spw-abcdefABCDE\u00e9_" + "A".repeat(43)}) {
      assertThat(GatewayKeyFormat.parse(bad)).as("%s", bad).isEmpty();
    }
  }

  @Test
  void keysArriveAsApiKeyOrBearer() {
    String key = "sk-spw-abcdefABCDEF_" + "A".repeat(43);
    assertThat(GatewayKeyFormat.fromHeaders(key, null)).contains(key);
    assertThat(GatewayKeyFormat.fromHeaders(" " + key + " ", "Bearer other")).contains(key);
    assertThat(GatewayKeyFormat.fromHeaders(null, "Bearer " + key)).contains(key);
    assertThat(GatewayKeyFormat.fromHeaders(null, "bearer   " + key)).contains(key);
    assertThat(GatewayKeyFormat.fromHeaders("", "Bearer " + key)).contains(key);
    assertThat(GatewayKeyFormat.fromHeaders(null, "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")).isEmpty();
    assertThat(GatewayKeyFormat.fromHeaders(null, "Basic " + key)).isEmpty();
    assertThat(GatewayKeyFormat.fromHeaders(null, null)).isEmpty();
  }
}
