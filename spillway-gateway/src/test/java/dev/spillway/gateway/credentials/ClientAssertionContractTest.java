package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spillway.gateway.credentials.TestCertificates.Issued;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link ClientAssertion} promises: an assertion that can be sent in a form, read anew
 * for every call (a replaced file is used at once), and failures and {@code toString()} that name
 * the file but never its content.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientAssertionContractTest {
  /** One implementation: how to build it on a file, and how to write a valid file for it (a marker says which). */
  record Kind(String name, BiFunction<Vertx, Path, ClientAssertion> make, FileWriter write) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface FileWriter {
    /** Writes a valid file; returns a string the file holds that must never appear in a message. */
    String write(Path file, int version) throws Exception;
  }

  @TempDir Path dir;
  private Vertx vertx;
  private Issued first;
  private Issued second;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    Path certificates = Files.createTempDirectory("spillway-assertion-contract");
    first = TestCertificates.pkcs12(certificates, "contract-1", "contract-pw");
    second = TestCertificates.pkcs12(certificates, "contract-2", "contract-pw");
  }

  @AfterAll
  void stop() {
    await(vertx.close());
  }

  List<Kind> kinds() {
    return List.of(
        new Kind(
            "federated token file",
            (v, file) -> new FederatedTokenFile(v.fileSystem(), file),
            (file, version) -> {
              String token = "eyJ.contract-token-" + version + ".sig";
              Files.writeString(file, token);
              return token;
            }),
        new Kind(
            "certificate",
            (v, file) ->
                new CertificateAssertion(v, file, Optional.empty(), URI.create("http://127.0.0.1:1/t/oauth2/v2.0/token"), "c", Clock.systemUTC()),
            (file, version) -> {
              Issued issued = version == 1 ? first : second;
              TestCertificates.pemPkcs8(issued, file);
              return java.util.Base64.getEncoder().encodeToString(issued.privateKey().getEncoded()).substring(0, 40);
            }));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void givesAnAssertionThatFitsInAFormAndReadsTheFileAnewEachTime(Kind kind) throws Exception {
    Path file = dir.resolve("assertion-file");
    kind.write().write(file, 1);
    ClientAssertion assertion = kind.make().apply(vertx, file);

    String one = await(assertion.next());
    kind.write().write(file, 2);
    String two = await(assertion.next());

    assertThat(one).isNotBlank().matches("[\\x21-\\x7e]+");
    assertThat(two).isNotBlank().isNotEqualTo(one);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void failsNamingTheFileButNeverItsContent(Kind kind) throws Exception {
    Path file = dir.resolve("assertion-file");
    ClientAssertion assertion = kind.make().apply(vertx, file);

    Throwable missing = catchThrowable(() -> await(assertion.next()));
    assertThat(missing).isInstanceOf(CredentialUnavailableException.class).hasMessageContaining(file.toString());

    String secret = kind.write().write(file, 1);
    Files.writeString(file, "\u0000 not usable " + secret); // neither a token nor PEM nor PKCS#12
    Throwable unusable = catchThrowable(() -> await(assertion.next()));
    assertThat(unusable).isInstanceOf(CredentialUnavailableException.class).hasMessageContaining(file.toString());
    assertThat(unusable.getMessage()).doesNotContain(secret.substring(0, 20));
    assertThat(assertion.toString()).contains(file.toString()).doesNotContain(secret);
  }
}
