package dev.spillway.core.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.auth.keys.GatewayKeyFormat.ParsedKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KeyStore} must have; each implementation's test extends this. */
abstract class KeyStoreContractTest {
  static final String PEPPER = "test-pepper-0123456789";
  static final Instant T0 = Instant.parse("2025-01-31T10:00:00Z");

  final KeyHasher hasher = new KeyHasher(PEPPER);

  /** A fresh, empty store using {@code hasher}. */
  abstract KeyStore newStore(KeyHasher hasher);

  KeyStore store() {
    return newStore(hasher);
  }

  static String withSecret(String plaintext, String otherSecret) {
    ParsedKey parsed = GatewayKeyFormat.parse(plaintext).orElseThrow();
    return GatewayKeyFormat.format(parsed.keyId(), otherSecret);
  }

  static String secretOf(String plaintext) {
    return GatewayKeyFormat.parse(plaintext).orElseThrow().secret();
  }

  static String flipLastChar(String s) {
    char last = s.charAt(s.length() - 1);
    return s.substring(0, s.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  @Test
  void createdKeyAuthenticatesAsItsConsumer() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);

    assertThat(issued.plaintext()).startsWith("sk-spw-").hasSize(GatewayKeyFormat.KEY_LENGTH);
    assertThat(issued.record().consumerId()).isEqualTo("search-app");
    assertThat(issued.record().createdAt()).isEqualTo(T0);
    assertThat(issued.record().isActive()).isTrue();
    assertThat(issued.revokedKeyIds()).isEmpty();
    assertThat(GatewayKeyFormat.parse(issued.plaintext()).orElseThrow().keyId()).isEqualTo(issued.keyId());
    assertThat(store.authenticate(issued.plaintext())).contains("search-app");
  }

  @Test
  void everyKeyIsDifferent() {
    KeyStore store = store();
    IssuedKey a = store.create("search-app", T0);
    IssuedKey b = store.create("search-app", T0);
    assertThat(a.keyId()).isNotEqualTo(b.keyId());
    assertThat(secretOf(a.plaintext())).isNotEqualTo(secretOf(b.plaintext()));
    assertThat(a.record().salt()).isNotEqualTo(b.record().salt());
  }

  @Test
  void wrongSecretOfTheSameLengthIsRejected() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);

    assertThat(store.authenticate(flipLastChar(issued.plaintext()))).isEmpty();
    String otherSecret = GatewayKeyFormat.newSecret(new java.security.SecureRandom());
    assertThat(store.authenticate(withSecret(issued.plaintext(), otherSecret))).isEmpty();
  }

  @Test
  void unknownKeyIdIsRejected() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);
    String unknown = GatewayKeyFormat.format("ZZZZZZZZZZZZ", secretOf(issued.plaintext()));

    assertThat(store.authenticate(unknown)).isEmpty();
  }

  @Test
  void malformedOrEmptyKeysAreRejectedWithoutExceptions() {
    KeyStore store = store();
    String key = store.create("search-app", T0).plaintext();
    List<String> bad =
        new ArrayList<>(
            List.of(
                "", " ", "sk-spw-", "garbage", key + "A", key.substring(0, key.length() - 1), " " + key,
                key.replace("sk-spw-", "sk-xyz-"), key.replace('_', '-'), "Bearer " + key,
                key.substring(0, key.length() - 1) + "=", key.substring(0, key.length() - 1) + "\u00e9"));
    bad.add(null);
    for (String presented : bad) {
      assertThat(store.authenticate(presented)).as("%s", presented).isEmpty();
    }
  }

  @Test
  void anotherConsumersKeyIdWithThisSecretIsRejected() {
    KeyStore store = store();
    IssuedKey mine = store.create("search-app", T0);
    IssuedKey theirs = store.create("billing", T0);
    String mixed = GatewayKeyFormat.format(theirs.keyId(), secretOf(mine.plaintext()));

    assertThat(store.authenticate(mixed)).isEmpty();
    assertThat(store.authenticate(theirs.plaintext())).contains("billing");
  }

  @Test
  void revokeTakesEffectImmediately() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);
    IssuedKey other = store.create("search-app", T0);

    assertThat(store.revoke(issued.keyId(), T0.plusSeconds(5))).isTrue();

    assertThat(store.authenticate(issued.plaintext())).isEmpty();
    assertThat(store.authenticate(other.plaintext())).contains("search-app");
    KeyRecord revoked = store.list("search-app").getFirst();
    assertThat(revoked.keyId()).isEqualTo(issued.keyId());
    assertThat(revoked.revokedAt()).contains(T0.plusSeconds(5));
  }

  @Test
  void aKeyThatAuthenticatedBeforeIsRefusedOnceRevokedRotatedAwayOrPresentedWithAnotherSecret() {
    KeyStore store = store();
    IssuedKey first = store.create("search-app", T0);
    IssuedKey second = store.create("search-app", T0);
    for (int i = 0; i < 3; i++) {
      assertThat(store.authenticate(first.plaintext())).contains("search-app");
      assertThat(store.authenticate(second.plaintext())).contains("search-app");
    }
    assertThat(store.authenticate(flipLastChar(first.plaintext()))).as("same id, other secret, after a hit").isEmpty();
    assertThat(store.authenticate(first.plaintext())).as("the right secret still works").contains("search-app");

    assertThat(store.revoke(first.keyId(), T0.plusSeconds(1))).isTrue();
    assertThat(store.authenticate(first.plaintext())).as("revoked after it had authenticated").isEmpty();
    assertThat(store.authenticate(second.plaintext())).contains("search-app");

    IssuedKey third = store.rotate("search-app", T0.plusSeconds(2));
    IssuedKey fourth = store.rotate("search-app", T0.plusSeconds(3));
    assertThat(store.authenticate(second.plaintext())).as("rotated away after it had authenticated").isEmpty();
    assertThat(store.authenticate(third.plaintext())).contains("search-app");
    assertThat(store.authenticate(fourth.plaintext())).contains("search-app");

    assertThat(store.revokeAll("search-app", T0.plusSeconds(4))).containsExactly(third.keyId(), fourth.keyId());
    assertThat(store.authenticate(third.plaintext())).isEmpty();
    assertThat(store.authenticate(fourth.plaintext())).isEmpty();
  }

  @Test
  void revokingAnUnknownOrRevokedKeyReportsFalseAndKeepsTheFirstRevocationTime() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);
    assertThat(store.revoke("ZZZZZZZZZZZZ", T0)).isFalse();
    assertThat(store.revoke(issued.keyId(), T0.plusSeconds(1))).isTrue();
    assertThat(store.revoke(issued.keyId(), T0.plusSeconds(2))).isFalse();
    assertThat(store.list("search-app").getFirst().revokedAt()).contains(T0.plusSeconds(1));
  }

  @Test
  void revokeAllRevokesEveryActiveKeyOfOneConsumerOnly() {
    KeyStore store = store();
    IssuedKey a1 = store.create("search-app", T0);
    IssuedKey a2 = store.create("search-app", T0);
    IssuedKey b1 = store.create("billing", T0);
    store.revoke(a1.keyId(), T0.plusSeconds(1));

    assertThat(store.revokeAll("search-app", T0.plusSeconds(2))).containsExactly(a2.keyId());

    assertThat(store.authenticate(a2.plaintext())).isEmpty();
    assertThat(store.authenticate(b1.plaintext())).contains("billing");
    assertThat(store.list("search-app")).extracting(r -> r.revokedAt().orElseThrow())
        .containsExactly(T0.plusSeconds(1), T0.plusSeconds(2));
    assertThat(store.revokeAll("search-app", T0.plusSeconds(3))).isEmpty();
    assertThat(store.revokeAll("nobody", T0)).isEmpty();
  }

  @Test
  void rotateKeepsExactlyTwoValidKeysAndAThirdRotationRevokesTheOldest() {
    KeyStore store = store();
    IssuedKey first = store.create("search-app", T0);

    IssuedKey second = store.rotate("search-app", T0.plusSeconds(1));
    assertThat(second.revokedKeyIds()).isEmpty();
    assertThat(store.authenticate(first.plaintext())).contains("search-app");
    assertThat(store.authenticate(second.plaintext())).contains("search-app");

    IssuedKey third = store.rotate("search-app", T0.plusSeconds(2));
    assertThat(third.revokedKeyIds()).containsExactly(first.keyId());
    assertThat(store.authenticate(first.plaintext())).isEmpty();
    assertThat(store.authenticate(second.plaintext())).contains("search-app");
    assertThat(store.authenticate(third.plaintext())).contains("search-app");
    assertThat(store.list("search-app").stream().filter(KeyRecord::isActive).map(KeyRecord::keyId))
        .containsExactly(second.keyId(), third.keyId());
    assertThat(store.list("search-app").getFirst().revokedAt()).contains(T0.plusSeconds(2));
  }

  @Test
  void rotateUsesCreationOrderNotTimestampsAndTrimsExtraKeys() {
    KeyStore store = store();
    IssuedKey a = store.create("search-app", T0);
    IssuedKey b = store.create("search-app", T0);
    IssuedKey c = store.create("search-app", T0);

    IssuedKey d = store.rotate("search-app", T0);

    assertThat(d.revokedKeyIds()).containsExactly(a.keyId(), b.keyId());
    assertThat(store.authenticate(c.plaintext())).contains("search-app");
    assertThat(store.authenticate(d.plaintext())).contains("search-app");
    assertThat(store.authenticate(a.plaintext())).isEmpty();
    assertThat(store.authenticate(b.plaintext())).isEmpty();
  }

  @Test
  void rotateWithoutKeysCreatesOneAndLeavesOtherConsumersAlone() {
    KeyStore store = store();
    IssuedKey theirs1 = store.create("billing", T0);
    IssuedKey theirs2 = store.create("billing", T0);

    IssuedKey mine = store.rotate("search-app", T0);

    assertThat(mine.revokedKeyIds()).isEmpty();
    assertThat(store.authenticate(mine.plaintext())).contains("search-app");
    assertThat(store.authenticate(theirs1.plaintext())).contains("billing");
    assertThat(store.authenticate(theirs2.plaintext())).contains("billing");
  }

  @Test
  void createAddsKeysWithoutRevokingAny() {
    KeyStore store = store();
    List<IssuedKey> keys = List.of(store.create("a", T0), store.create("a", T0), store.create("a", T0));
    for (IssuedKey k : keys) {
      assertThat(store.authenticate(k.plaintext())).contains("a");
    }
  }

  @Test
  void listsAreInCreationOrderAndFilteredByConsumer() {
    KeyStore store = store();
    IssuedKey a1 = store.create("a", T0);
    IssuedKey b1 = store.create("b", T0);
    IssuedKey a2 = store.create("a", T0);

    assertThat(store.list("a")).extracting(KeyRecord::keyId).containsExactly(a1.keyId(), a2.keyId());
    assertThat(store.list("nobody")).isEmpty();
    assertThat(store.listAll()).extracting(KeyRecord::keyId).containsExactly(a1.keyId(), b1.keyId(), a2.keyId());
    assertThat(store.listAll()).containsExactly(a1.record(), b1.record(), a2.record());
  }

  @Test
  void blankConsumerIsRefused() {
    KeyStore store = store();
    assertThatThrownBy(() -> store.create(" ", T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.rotate("", T0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringsNeverShowSecretsSaltsOrFullHashes() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);
    String secret = secretOf(issued.plaintext());
    KeyRecord record = issued.record();
    String saltB64 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(record.salt());
    String hashB64 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(record.hash());
    String hashHex = java.util.HexFormat.of().formatHex(record.hash());
    String saltHex = java.util.HexFormat.of().formatHex(record.salt());

    for (String text : List.of(issued.toString(), record.toString(), store.toString(),
        GatewayKeyFormat.parse(issued.plaintext()).orElseThrow().toString(), hasher.toString())) {
      assertThat(text).doesNotContain(secret, saltB64, hashB64, hashHex, saltHex, PEPPER);
    }
    assertThat(issued.toString()).contains(issued.keyId());
  }

  @Test
  void concurrentCreatesAndAuthenticationsAreSafe() throws Exception {
    KeyStore store = store();
    IssuedKey existing = store.create("steady", T0);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<IssuedKey>> created = new ArrayList<>();
      List<Future<Optional<String>>> checks = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        created.add(pool.submit(() -> store.create("busy", T0)));
        checks.add(pool.submit(() -> store.authenticate(existing.plaintext())));
      }
      for (Future<IssuedKey> f : created) {
        assertThat(store.authenticate(f.get().plaintext())).contains("busy");
      }
      for (Future<Optional<String>> f : checks) {
        assertThat(f.get()).contains("steady");
      }
    }
    assertThat(store.list("busy")).hasSize(40);
  }
}
