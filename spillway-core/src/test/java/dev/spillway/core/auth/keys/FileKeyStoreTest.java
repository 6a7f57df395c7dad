package dev.spillway.core.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyStoreTest extends KeyStoreContractTest {
  @TempDir Path dir;
  private int stores;

  @Override
  KeyStore newStore(KeyHasher hasher) {
    return new FileKeyStore(dir.resolve("store-" + (stores++)).resolve("keys.json"), hasher);
  }

  private Path file() {
    return dir.resolve("data").resolve("keys.json");
  }

  @Test
  void fileHoldsRecordsButNeverThePlaintextOrTheSecret() throws IOException {
    FileKeyStore store = new FileKeyStore(file(), hasher);
    IssuedKey issued = store.create("search-app", T0);
    store.rotate("search-app", T0.plusSeconds(1));

    String text = Files.readString(file());
    assertThat(text).doesNotContain(issued.plaintext(), secretOf(issued.plaintext()), PEPPER);
    assertThat(text)
        .contains("\"format\" : \"spillway-keys\"", issued.keyId(), "search-app", "2025-01-31T10:00:00Z")
        .contains(Base64.getUrlEncoder().withoutPadding().encodeToString(issued.record().hash()));
  }

  @Test
  void keysSurviveInASecondInstance() {
    FileKeyStore first = new FileKeyStore(file(), hasher);
    IssuedKey issued = first.create("search-app", T0);
    first.revoke(first.create("search-app", T0).keyId(), T0.plusSeconds(3));

    FileKeyStore second = new FileKeyStore(file(), new KeyHasher(PEPPER));

    assertThat(second.authenticate(issued.plaintext())).contains("search-app");
    assertThat(second.listAll()).isEqualTo(first.listAll());
  }

  @Test
  void reloadIfChangedPicksUpARevokeByAnotherInstance() {
    FileKeyStore gateway = new FileKeyStore(file(), hasher);
    IssuedKey issued = gateway.create("search-app", T0);
    FileKeyStore cli = new FileKeyStore(file(), hasher);

    assertThat(gateway.reloadIfChanged()).isFalse();
    assertThat(cli.revoke(issued.keyId(), T0.plusSeconds(1))).isTrue();
    assertThat(gateway.authenticate(issued.plaintext())).as("before reload").contains("search-app");

    assertThat(gateway.reloadIfChanged()).isTrue();
    assertThat(gateway.authenticate(issued.plaintext())).isEmpty();
    assertThat(gateway.reloadIfChanged()).isFalse();
  }

  @Test
  void reloadIfChangedPicksUpAKeyCreatedByAnotherInstanceAfterTheFileAppears() {
    FileKeyStore gateway = new FileKeyStore(file(), hasher);
    assertThat(gateway.reloadIfChanged()).isFalse();
    IssuedKey issued = new FileKeyStore(file(), hasher).create("search-app", T0);

    assertThat(gateway.reloadIfChanged()).isTrue();
    assertThat(gateway.authenticate(issued.plaintext())).contains("search-app");
  }

  @Test
  void aWriteDoesNotUndoAnotherInstancesEarlierChange() {
    FileKeyStore a = new FileKeyStore(file(), hasher);
    FileKeyStore b = new FileKeyStore(file(), hasher);
    IssuedKey fromA = a.create("search-app", T0);
    IssuedKey fromB = b.create("billing", T0);
    a.revoke(fromA.keyId(), T0.plusSeconds(1));

    FileKeyStore fresh = new FileKeyStore(file(), hasher);
    assertThat(fresh.listAll()).extracting(KeyRecord::keyId).containsExactly(fromA.keyId(), fromB.keyId());
    assertThat(fresh.authenticate(fromB.plaintext())).contains("billing");
    assertThat(fresh.authenticate(fromA.plaintext())).isEmpty();
  }

  @Test
  void aChangedPepperMakesEveryKeyFail() {
    IssuedKey issued = new FileKeyStore(file(), hasher).create("search-app", T0);

    FileKeyStore otherPepper = new FileKeyStore(file(), new KeyHasher("another-pepper-0123456789"));

    assertThat(otherPepper.authenticate(issued.plaintext())).isEmpty();
    assertThat(new FileKeyStore(file(), new KeyHasher(PEPPER)).authenticate(issued.plaintext())).contains("search-app");
  }

  @Test
  void createsParentDirectoriesWritesOwnerOnlyAndLeavesNoTempFiles() throws IOException {
    Path nested = dir.resolve("a").resolve("b").resolve("keys.json");
    new FileKeyStore(nested, hasher).create("search-app", T0);

    assertThat(nested).isRegularFile();
    if (nested.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rw-------");
    }
    try (Stream<Path> files = Files.list(nested.getParent())) {
      assertThat(files).containsExactly(nested);
    }
  }

  @Test
  void aMissingFileIsAnEmptyStoreAndIsNotCreatedByReading() {
    FileKeyStore store = new FileKeyStore(file(), hasher);
    assertThat(store.listAll()).isEmpty();
    assertThat(store.reloadIfChanged()).isFalse();
    assertThat(file()).doesNotExist();
  }

  @Test
  void aDeletedFileReadsAsEmptySoEveryKeyStopsWorking() throws IOException {
    FileKeyStore store = new FileKeyStore(file(), hasher);
    IssuedKey issued = store.create("search-app", T0);
    Files.delete(file());

    assertThat(store.reloadIfChanged()).isTrue();
    assertThat(store.authenticate(issued.plaintext())).isEmpty();
  }

  @Test
  void anInvalidFileIsRefusedAtOpenWithAMessageNamingIt() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{ not json");
    assertThatThrownBy(() -> new FileKeyStore(file(), hasher))
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("not valid JSON");

    Files.writeString(file(), "{\"format\":\"spillway-keys\",\"version\":1,\"keys\":[{\"keyId\":\"short\"}]}");
    assertThatThrownBy(() -> new FileKeyStore(file(), hasher))
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining("keys[0].keyId");
  }

  @Test
  void anInvalidReloadKeepsTheKeysInMemory() throws IOException {
    FileKeyStore store = new FileKeyStore(file(), hasher);
    IssuedKey issued = store.create("search-app", T0);
    Files.writeString(file(), "[]", StandardCharsets.UTF_8);

    assertThatThrownBy(store::reloadIfChanged).isInstanceOf(KeyStoreException.class);
    assertThat(store.authenticate(issued.plaintext())).contains("search-app");
  }

  @Test
  void aFailedWriteChangesNothing() throws IOException {
    FileKeyStore store = new FileKeyStore(file(), hasher);
    Files.writeString(file().getParent(), "a file where the key directory should be");

    assertThatThrownBy(() -> store.create("search-app", T0))
        .isInstanceOf(KeyStoreException.class)
        .hasMessageContaining(file().toString());
    assertThat(store.listAll()).isEmpty();
  }

  @Test
  void relativeKeyStorePathsResolveAgainstTheConfigDirectory() {
    Path config = dir.resolve("conf").resolve("spillway.yaml");
    assertThat(FileKeyStore.resolveAgainstConfig(config, Path.of("spillway-data/keys.json")))
        .isEqualTo(dir.resolve("conf").resolve("spillway-data").resolve("keys.json").toAbsolutePath());
    Path absolute = dir.resolve("elsewhere.json").toAbsolutePath();
    assertThat(FileKeyStore.resolveAgainstConfig(config, absolute)).isEqualTo(absolute);
  }
}
