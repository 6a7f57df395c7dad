package dev.spillway.gateway.reload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ConfigProblem;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the last reload left to report: the generation in force, the problems of the file while it stays invalid, and
 * the changes waiting for a restart; with counts of reloads by result. Read by {@code /readyz} and the metrics.
 * Thread-safe.
 */
public final class ReloadStatus {
  /** The state after a reload, replaced as a whole. */
  private record State(long generation, List<ConfigProblem> problems, List<String> needsRestart) {}

  private final AtomicReference<State> state = new AtomicReference<>(new State(1, List.of(), List.of()));
  private final AtomicLong valid = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();

  /** Records {@code outcome}. */
  public void record(ReloadOutcome outcome) {
    switch (outcome) {
      case ReloadOutcome.Applied a -> {
        valid.incrementAndGet();
        state.set(new State(a.generation(), List.of(), a.needsRestart()));
      }
      case ReloadOutcome.Unchanged u -> {
        valid.incrementAndGet();
        state.set(new State(u.generation(), List.of(), u.needsRestart()));
      }
      case ReloadOutcome.Invalid i -> {
        invalid.incrementAndGet();
        state.updateAndGet(s -> new State(i.generation(), i.problems(), s.needsRestart()));
      }
    }
  }

  /** The generation in force. */
  public long generation() {
    return state.get().generation();
  }

  /** False while the config file on disk is invalid (the last reload refused it). */
  public boolean fileValid() {
    return state.get().problems().isEmpty();
  }

  /** Reloads that found a valid file ({@code ok}) or refused it ({@code invalid}). */
  public long reloads(boolean ok) {
    return ok ? valid.get() : invalid.get();
  }

  /**
   * Adds {@code config} ({@code ok} or {@code invalid}), {@code configGeneration}, the file's {@code configProblems} while
   * it is invalid, and {@code configNeedsRestart} when sections changed that apply at the next start.
   */
  public void describe(ObjectNode ready) {
    State s = state.get();
    ready.put("config", s.problems().isEmpty() ? "ok" : "invalid");
    ready.put("configGeneration", s.generation());
    if (!s.problems().isEmpty()) {
      ReloadOutcome.writeProblems(ready.putArray("configProblems"), s.problems());
    }
    if (!s.needsRestart().isEmpty()) {
      s.needsRestart().forEach(ready.putArray("configNeedsRestart")::add);
    }
  }
}
