package dev.spillway.gateway.reload;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reloads the config file: loads and validates it, works out what changes ({@link ConfigDiff}), builds the next
 * generation beside the running one and puts it in force ({@link LiveConfig#install}). An invalid file, or one the
 * next generation cannot be built from, changes nothing: the running generation keeps serving and every problem is
 * logged (one line each, with file, line and key, never a value), answered and kept for {@code /readyz} and the metrics
 * ({@link ReloadStatus}) until a valid file is loaded.
 *
 * <p>Triggers: {@link #watch} (the file's content, checked every second), {@code POST /admin/reload} and the command
 * line's SIGHUP, all through {@link #reload}. Reloads run one at a time, off the event loop.
 */
public final class ConfigReloader {
  private static final Logger LOG = System.getLogger("spillway.config");

  private final Vertx vertx;
  private final Path file;
  private final UnaryOperator<SpillwayConfig> overrides;
  private final LiveConfig live;
  private final GenerationAssembler assembler;
  private final Consumer<ConfigGeneration> beforeInstall;
  private final Consumer<ConfigGeneration> afterInstall;
  private final ReloadStatus status;
  /** The file's content when last loaded (or when watching began), for {@link #reloadIfChanged}. */
  private byte[] lastRead;
  /** Whether the last check saw a changed content ({@link #pendingRead}, null for a missing file) to confirm. */
  private boolean pending;
  private byte[] pendingRead;

  /**
   * @param file the config file the running generation came from
   * @param overrides what the command line sets over the file ({@code --port}), applied to each loaded config
   * @param beforeInstall called with a generation just before it is put in force (to update what the generations share)
   * @param afterInstall called with it just after (to tell observers)
   */
  public ConfigReloader(
      Vertx vertx, Path file, UnaryOperator<SpillwayConfig> overrides, LiveConfig live, GenerationAssembler assembler,
      Consumer<ConfigGeneration> beforeInstall, Consumer<ConfigGeneration> afterInstall, ReloadStatus status) {
    this.vertx = vertx;
    this.file = file;
    this.overrides = overrides;
    this.live = live;
    this.assembler = assembler;
    this.beforeInstall = beforeInstall;
    this.afterInstall = afterInstall;
    this.status = status;
    this.lastRead = read().orElse(null);
  }

  /** Reloads the file now, whether or not it changed. */
  public Future<ReloadOutcome> reload(String trigger) {
    return vertx.executeBlocking(() -> reloadNow(trigger), false);
  }

  /**
   * Reloads the file if its content differs from when it was last loaded and is the same as at the previous check (so
   * that a file caught half-written by an editor is not loaded: the next check sees it whole); empty when it did not
   * reload.
   */
  public Future<Optional<ReloadOutcome>> reloadIfChanged() {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        byte[] now = read().orElse(null);
        if (Arrays.equals(now, lastRead)) {
          pending = false;
          return Optional.empty();
        }
        if (!pending || !Arrays.equals(now, pendingRead)) {
          pending = true;
          pendingRead = now;
          return Optional.empty();
        }
        pending = false;
        return Optional.of(reloadNow("file change"));
      }
    }, false);
  }

  /** Checks the file every {@code periodMillis} and reloads it when its content changed; returns the timer's id. */
  public long watch(long periodMillis) {
    java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();
    return vertx.setPeriodic(periodMillis, id -> {
      if (checking.compareAndSet(false, true)) {
        reloadIfChanged().onComplete(done -> checking.set(false));
      }
    });
  }

  private synchronized ReloadOutcome reloadNow(String trigger) {
    ConfigGeneration running = live.current();
    lastRead = read().orElse(null);
    ReloadOutcome outcome;
    try {
      SpillwayConfig loaded = overrides.apply(ConfigLoader.load(file));
      ConfigDiff diff = ConfigDiff.between(running.config(), loaded);
      List<ConfigProblem> problems = diff.problems(file.toString());
      if (!problems.isEmpty()) {
        outcome = new ReloadOutcome.Invalid(running.number(), problems);
      } else if (diff.isEmpty()) {
        outcome = new ReloadOutcome.Unchanged(running.number(), diff.needsRestart());
      } else {
        Map<String, Pool> pools = GenerationAssembler.pools(diff.effective(), running.pools());
        ConfigGeneration next = assembler.assemble(running.number() + 1, diff.effective(), pools, Optional.of(running));
        beforeInstall.accept(next);
        live.install(next);
        try {
          afterInstall.accept(next);
        } catch (RuntimeException observerFailed) {
          // The generation is in force; an observer that could not follow is a bug to log, not a refused file.
          LOG.log(Level.ERROR, "config generation " + next.number() + " in force, but an observer failed", observerFailed);
        }
        outcome = new ReloadOutcome.Applied(next.number(), diff.changes(), diff.needsRestart());
      }
    } catch (ConfigException invalid) {
      outcome = new ReloadOutcome.Invalid(running.number(), invalid.problems());
    } catch (RuntimeException rejected) {
      // A component refused the config (a guard profile a consumer names, ...): its message names the key.
      outcome = new ReloadOutcome.Invalid(running.number(),
          List.of(new ConfigProblem(file.toString(), 0, "", String.valueOf(rejected.getMessage()))));
    }
    status.record(outcome);
    log(trigger, outcome);
    return outcome;
  }

  private void log(String trigger, ReloadOutcome outcome) {
    switch (outcome) {
      case ReloadOutcome.Applied a -> {
        LOG.log(Level.INFO, "config reloaded trigger=" + trigger + " generation=" + a.generation() + " changes="
            + a.changes().size());
        a.changes().forEach(c -> LOG.log(Level.INFO, "config change generation=" + a.generation() + ": " + c));
      }
      case ReloadOutcome.Unchanged u ->
          LOG.log(Level.INFO, "config reload trigger=" + trigger + " generation=" + u.generation() + ": nothing to change");
      case ReloadOutcome.Invalid i -> {
        LOG.log(Level.WARNING, "config reload refused trigger=" + trigger + " problems=" + i.problems().size()
            + ", generation " + i.generation() + " keeps running");
        i.problems().forEach(p -> LOG.log(Level.WARNING, "config problem " + p));
      }
    }
    List<String> restart = switch (outcome) {
      case ReloadOutcome.Applied a -> a.needsRestart();
      case ReloadOutcome.Unchanged u -> u.needsRestart();
      case ReloadOutcome.Invalid i -> List.of();
    };
    if (!restart.isEmpty()) {
      LOG.log(Level.WARNING, "config changes that need a restart (kept as they run): " + String.join(", ", restart));
    }
  }

  private Optional<byte[]> read() {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }
}
