package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a model's waiting keys: {@code maxWaitForPtu} (one duration, or one per class), {@code ptuWait} (station |
 * fixed), {@code reserveForCritical} (a percentage) and {@code ptuDemandWindow}. One instance per load; not
 * thread-safe.
 */
final class PtuStationBinder {
  static final List<String> BUDGET_KEYS = List.of("critical", "standard", "batch");

  /**
   * What was bound, with where the budget was written (for the model's own checks against its backends and the
   * routing deadline).
   *
   * @param budgetLine the line of {@code maxWaitForPtu}, or -1 when it is absent
   * @param budgetPath its path
   * @param writtenLongest the longest budget the file wrote (a critical budget implied by one duration is capped by
   *     the routing deadline at run time, so it is not held against the deadline here)
   */
  record Bound(PtuStation station, int budgetLine, String budgetPath, Duration writtenLongest) {}

  private final ScalarReader read;

  PtuStationBinder(ScalarReader read) {
    this.read = read;
  }

  Bound bind(YamlNode.Mapping m, String path) {
    PtuStation.Mode mode =
        read.scalar(m, "ptuWait", path)
            .flatMap(v -> read.choice(v, PtuStation.Mode.values(), PtuStation.Mode::id))
            .orElse(PtuStation.Mode.STATION);
    String budgetPath = ConfigBinder.child(path, "maxWaitForPtu");
    YamlNode.Entry budgetEntry = m.entries().get("maxWaitForPtu");
    PtuStation station = PtuStation.ofBudget(mode, Duration.ZERO);
    int line = -1;
    Duration written = Duration.ZERO;
    if (budgetEntry != null && !ScalarReader.isNull(budgetEntry.value())) {
      line = budgetEntry.keyLine();
      if (budgetEntry.value() instanceof YamlNode.Mapping perClass) {
        station = perClass(perClass, budgetPath, mode).orElse(station);
        written = station.longestBudget();
      } else {
        Optional<Duration> d = read.scalar(m, "maxWaitForPtu", path).flatMap(v -> read.convert(v, Durations::parse));
        if (d.isPresent()) {
          station = PtuStation.ofBudget(mode, d.get());
          written = d.get();
        }
      }
    }
    Optional<Double> reserve = read.scalar(m, "reserveForCritical", path).flatMap(this::percent);
    if (reserve.isPresent()) {
      station = station.withReserveForCritical(reserve.get());
    }
    Optional<Duration> window =
        read.scalar(m, "ptuDemandWindow", path)
            .flatMap(v -> read.convert(v, Durations::parse))
            .filter(
                d -> {
                  if (d.compareTo(Duration.ofSeconds(2)) < 0) {
                    Value v = read.scalar(m, "ptuDemandWindow", path).orElseThrow();
                    read.problem(v.line(), v.path(), "must be at least 2s, got " + v.shown());
                    return false;
                  }
                  return true;
                });
    if (window.isPresent()) {
      station = station.withDemandWindow(window.get());
    }
    return new Bound(station, line, budgetPath, written);
  }

  /** {@code { critical: 3s, standard: 1500ms, batch: 0s }}; a class left out keeps what one duration would give it. */
  private Optional<PtuStation> perClass(YamlNode.Mapping m, String path, PtuStation.Mode mode) {
    read.checkKeys(m, path, BUDGET_KEYS);
    Map<PriorityClass, Optional<Duration>> given = new EnumMap<>(PriorityClass.class);
    int before = read.problemCount();
    for (PriorityClass c : PriorityClass.values()) {
      given.put(c, read.scalar(m, c.id(), path).flatMap(v -> read.convert(v, Durations::parse)));
    }
    if (read.problemCount() != before) {
      return Optional.empty();
    }
    Duration standard = given.get(PriorityClass.STANDARD).orElse(Duration.ZERO);
    Duration critical = given.get(PriorityClass.CRITICAL).orElse(standard.multipliedBy(2));
    Duration batch = given.get(PriorityClass.BATCH).orElse(Duration.ZERO);
    return read.build(
        m.line(), path, () -> new PtuStation(mode, PtuStation.budgets(critical, standard, batch), 0, PtuStation.DEFAULT_DEMAND_WINDOW));
  }

  /** {@code 20%} or {@code 20}: at least 0, below 100. */
  private Optional<Double> percent(Value v) {
    String text = v.text().strip();
    if (text.endsWith("%")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    try {
      double p = Double.parseDouble(text);
      if (p >= 0 && p < 100) {
        return Optional.of(p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    read.problem(v.line(), v.path(), "must be a percentage from 0 to below 100, like 20%, got " + v.shown());
    return Optional.empty();
  }
}
