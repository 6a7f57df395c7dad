package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.simulator.DeploymentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file watch follows a Kubernetes ConfigMap update. The kubelet never edits a mounted file: the directory holds
 * {@code spillway.yaml -> ..data/spillway.yaml} and {@code ..data -> ..2026_12_05_10_00_00.1}, and an update writes a
 * new timestamped directory, points a temporary symlink at it, renames that over {@code ..data} (one atomic step)
 * and deletes the old directory. The watcher reads the file through its path every second, so it sees the new
 * content; this test plays that sequence and waits for the new model to serve.
 */
class ConfigMapReloadTest {
  private TestWorld world;

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void aConfigMapUpdateBySymlinkSwapIsReloadedByTheFileWatch(@TempDir Path mount) throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("sim-a", 0, 0), DeploymentConfig.payg("sim-b", 0, 0)));
    String first = config("");
    Path version1 = writeVersion(mount, "..2026_12_05_10_00_00.1", first);
    Files.createSymbolicLink(mount.resolve("..data"), version1.getFileName());
    Path file = mount.resolve("spillway.yaml");
    Files.createSymbolicLink(file, Path.of("..data", "spillway.yaml"));

    world.gateway(ConfigLoader.load(file));
    world.gateway.reloadFrom(file, java.util.function.UnaryOperator.identity(), Duration.ofSeconds(1));
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o-mini", false)).statusCode())
        .as("not configured yet").isEqualTo(404);

    // The kubelet's update: new directory, temporary link, rename over ..data, old directory removed.
    Path version2 = writeVersion(mount, "..2026_12_05_10_01_00.2", config("""
          gpt-4o-mini:
            backends:
              - { id: sim-b, url: "%s", deployment: sim-b, tier: payg, auth: { apiKey: %s } }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY)));
    Path temporary = mount.resolve("..data_tmp");
    Files.createSymbolicLink(temporary, version2.getFileName());
    Files.move(temporary, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(version1.resolve("spillway.yaml"));
    Files.delete(version1);

    TestWorld.await("the swapped ConfigMap is in force", () -> world.gateway.configGeneration() == 2);
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o-mini", false)).statusCode())
        .isEqualTo(200);
  }

  private String config(String extraModels) {
    return """
        server:
          listen: 127.0.0.1:0
        ledger: off
        models:
          gpt-4o:
            backends:
              - { id: sim-a, url: "%s", deployment: sim-a, tier: payg, auth: { apiKey: %s } }
        %s""".formatted(world.simUrl(), Backends.BACKEND_KEY, extraModels);
  }

  private static Path writeVersion(Path mount, String name, String yaml) throws Exception {
    Path version = Files.createDirectory(mount.resolve(name));
    Files.writeString(version.resolve("spillway.yaml"), yaml);
    return version;
  }
}
