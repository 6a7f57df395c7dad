package dev.spillway.gateway.reload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import dev.spillway.core.config.SpillwayConfig;

/**
 * The gateway's side of config reloads: what {@code GatewayServer} holds and delegates to. Until {@link #from} names
 * the config file (a gateway built from code has none) there is nothing to reload; after it, the file is watched, and
 * {@code POST /admin/reload} ({@link #endpoint}) and {@link #reload} reload it on demand. Thread-safe.
 */
public final class ConfigReloads {
  /** How often the watched file's content is compared with what was last loaded. */
  public static final long WATCH_EVERY_MILLIS = 1_000;

  private final Vertx vertx;
  private final LiveConfig live;
  private final GenerationAssembler assembler;
  private final Consumer<ConfigGeneration> beforeInstall;
  private final Consumer<ConfigGeneration> afterInstall;
  private final ReloadStatus status;
  private final AtomicReference<ConfigReloader> reloader = new AtomicReference<>();
  private volatile long watchTimer = -1;

  /**
   * @param beforeInstall updates what every generation shares, just before a new one is in force (the consumer
   *     directory)
   * @param afterInstall tells observers the pools changed, just after (the metrics)
   */
  public ConfigReloads(
      Vertx vertx, LiveConfig live, GenerationAssembler assembler, ReloadStatus status,
      Consumer<ConfigGeneration> beforeInstall, Consumer<ConfigGeneration> afterInstall) {
    this.vertx = vertx;
    this.live = live;
    this.assembler = assembler;
    this.status = status;
    this.beforeInstall = beforeInstall;
    this.afterInstall = afterInstall;
  }

  /**
   * Reloads from {@code file} from now on, checking it every {@code watchEveryMillis} (0: no watching, reloads on
   * demand only). Called once; the running generation must have come from this file, through {@code overrides} (what
   * the command line sets over the file, applied to every reload as well).
   */
  public void from(Path file, UnaryOperator<SpillwayConfig> overrides, long watchEveryMillis) {
    ConfigReloader r =
        new ConfigReloader(vertx, file, overrides, live, assembler, beforeInstall, afterInstall, status);
    if (!reloader.compareAndSet(null, r)) {
      throw new IllegalStateException("the config file was named already");
    }
    if (watchEveryMillis > 0) {
      watchTimer = r.watch(watchEveryMillis);
    }
  }

  /** Reloads the file now; fails when the gateway has no config file. */
  public Future<ReloadOutcome> reload(String trigger) {
    ConfigReloader r = reloader.get();
    if (r == null) {
      return Future.failedFuture(new IllegalStateException("the gateway was not started from a config file"));
    }
    return r.reload(trigger);
  }

  /** {@code POST /admin/reload}. */
  public ReloadEndpoint endpoint() {
    return new ReloadEndpoint(() -> Optional.ofNullable(reloader.get()));
  }

  /** The reload state, for {@code /readyz} and the metrics. */
  public ReloadStatus status() {
    return status;
  }

  /** Adds the config's state to a ready answer ({@link ReloadStatus#describe}). */
  public void describe(ObjectNode ready) {
    status.describe(ready);
  }

  /** Stops watching the file (a reload asked for still runs). */
  public void stopWatching() {
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
    }
  }

  /** Stops watching and closes the backend clients every generation made. */
  public Future<Void> close() {
    stopWatching();
    return assembler.close();
  }
}
