package dev.spillway.gateway.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The spool files not yet deleted, deleted by a shutdown hook if the JVM stops first. Not
 * {@link java.io.File#deleteOnExit}: that keeps every path it was ever given until the JVM exits, a leak in a gateway
 * that spools uploads for months; here a path is forgotten once its file is deleted.
 */
final class SpoolFiles {
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private SpoolFiles() {}

  static void track(Path path) {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(SpoolFiles::deleteAll, "spillway-spool-cleanup"));
    }
    LIVE.add(path);
  }

  static void forget(Path path) {
    LIVE.remove(path);
  }

  /** Whether {@code path} is a spool file still to be deleted. */
  static boolean isLive(Path path) {
    return LIVE.contains(path);
  }

  private static void deleteAll() {
    for (Path path : LIVE) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException | RuntimeException e) {
        // Stopping: nothing more can be done about it.
      }
    }
  }
}
