package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendTlsKeysTest {
  @TempDir Path dir;

  private String yaml(String tlsKeys) {
    return """
        models:
          gpt-4o:
            backends:
              - id: a
                url: https://a.example
                deployment: d
                tier: ptu
                tls:
        """
        + tlsKeys.indent(10);
  }

  private SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "spillway.yaml", Map.<String, String>of()::get, dir);
  }

  @Test
  void aClientCertificateAndExtraTrustAreBoundRelativeToTheConfigDirectory() throws Exception {
    Files.writeString(dir.resolve("client.crt"), "cert");
    Files.writeString(dir.resolve("client.key"), "key");
    Files.writeString(dir.resolve("ca.pem"), "ca");

    BackendTls tls = parse(yaml("certFile: client.crt\nkeyFile: client.key\ncaFile: ca.pem\n"))
        .model("gpt-4o").orElseThrow().backends().getFirst().tls();

    assertThat(tls.certFile()).contains(dir.resolve("client.crt"));
    assertThat(tls.keyFile()).contains(dir.resolve("client.key"));
    assertThat(tls.caFile()).contains(dir.resolve("ca.pem"));
  }

  @Test
  void withoutTlsTheBackendUsesTheDefaults() {
    SpillwayConfig config = ConfigLoader.parse("""
        models:
          gpt-4o:
            backends:
              - id: a
                url: https://a.example
                deployment: d
                tier: ptu
        """, "spillway.yaml", Map.<String, String>of()::get);
    assertThat(config.model("gpt-4o").orElseThrow().backends().getFirst().tls().isDefault()).isTrue();
  }

  @Test
  void aCertificateWithoutItsKeyAndMissingFilesAreProblems() throws Exception {
    Files.writeString(dir.resolve("client.crt"), "cert");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> parse(yaml("certFile: client.crt\ncaFile: missing.pem\nverify: false\n")));
    assertThat(e.problems()).extracting(ConfigProblem::toString)
        .anySatisfy(p -> assertThat(p).contains("models.gpt-4o.backends[0].tls.keyFile: is required with certFile"))
        .anySatisfy(p -> assertThat(p).contains("spillway.yaml:10: models.gpt-4o.backends[0].tls.caFile"))
        .anySatisfy(p -> assertThat(p).contains("tls.verify: unknown key"));
  }
}
