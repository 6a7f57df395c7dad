package dev.spillway.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regression: loading the model on a thread with a small stack crashed the JVM (a segmentation fault in the native
 * loader, no Java exception). The model loads once per process, so this runs in a JVM of its own, where the first
 * embedding is asked for on a thread of 256 KiB.
 */
class LocalMiniLmEmbedderLoadTest {

  /** The child JVM's main: embeds once from a small-stack thread and prints the vector's length. */
  static final class SmallStackFirstUse {
    public static void main(String[] args) throws Exception {
      LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder();
      int[] length = new int[1];
      Thread t = new Thread(null, () -> length[0] = embedder.embed("where is my invoice").length, "small",
          256 * 1024);
      t.start();
      t.join();
      System.out.println("dimensions=" + length[0]);
    }
  }

  @Test
  void theFirstEmbeddingOnASmallStackThreadLoadsTheModelWithoutCrashing() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), SmallStackFirstUse.class.getName()))
        .redirectErrorStream(true)
        .start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      p.destroyForcibly();
    }
    assertThat(ended).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("dimensions=384");
  }
}
