package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What each cell of the station benchmark should show, and whether it did. Pure; the cells of the
 * same run are passed in because some targets compare configurations (the station against no-wait
 * and against Azure's own spillover).
 *
 * <ul>
 *   <li><b>0.8 × C</b>, every configuration: nothing spills (at most {@value #MAX_SPILL_UNDER_CAPACITY_PERCENT} %
 *       of tokens on PAYG, a request at a burst edge), no client 429, and no added wait (added wait at most
 *       {@value #NO_WAIT_TOLERANCE_MILLIS} ms at the median and {@value #NO_HOLD_P99_MILLIS} ms at p99: gateway
 *       overhead and timer rounding, no request held).
 *   <li><b>Short bursts</b>, the station: at least half fewer PAYG tokens than no-wait and than
 *       azure-native, and no client 429.
 *   <li><b>Steady 1.2–10 × C</b>, the station: median latency within {@value #NO_WAIT_TOLERANCE_MILLIS} ms
 *       of no-wait's, PTU at least {@value #MIN_PTU_UTILIZATION_PERCENT} % utilized, at most
 *       {@value #MAX_PTU_429_PER_ANSWER} PTU 429s per PTU answer.
 *   <li><b>Critical mix</b>, the station: no critical request served by PAYG.
 * </ul>
 *
 * Every other cell is a baseline and has no target.
 */
final class StationTargets {
  static final double MAX_SPILL_UNDER_CAPACITY_PERCENT = 1;
  static final double NO_WAIT_TOLERANCE_MILLIS = 20;
  /**
   * Under capacity, the added wait's p99 may reach this: a configuration that held even one request in a
   * hundred for the PTU would add hundreds of milliseconds there, while gateway overhead, timer rounding and
   * the odd pause of a JVM that runs generator, gateway and simulator together stay well below.
   */
  static final double NO_HOLD_P99_MILLIS = 100;
  static final double MIN_PTU_UTILIZATION_PERCENT = 98;
  static final double MAX_PTU_429_PER_ANSWER = 0.1;
  static final double MIN_PAYG_SAVING = 0.5;

  private StationTargets() {}

  /** A cell's verdict: {@code NONE} for a baseline, else met or not with the checks that decided it. */
  record Verdict(Status status, String detail) {
    enum Status { MET, NOT_MET, NONE }

    static final Verdict NONE = new Verdict(Status.NONE, "");

    String shown() {
      return switch (status) {
        case MET -> "met";
        case NOT_MET -> "**not met**";
        case NONE -> "—";
      };
    }
  }

  /** The verdict of {@code cell} among {@code all} the cells of its run. */
  static Verdict of(StationCell cell, List<StationCell> all) {
    List<String> failed = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    switch (cell.scenario().kind()) {
      case STEADY -> {
        if (cell.scenario().loadInC().meanRatePerSecond() <= 1) {
          check(cell.paygShare() * 100 <= MAX_SPILL_UNDER_CAPACITY_PERCENT,
              f("PAYG share %.1f %% ≤ %.0f %%", cell.paygShare() * 100, MAX_SPILL_UNDER_CAPACITY_PERCENT), passed, failed);
          check(cell.client429() == 0, f("client 429s %d = 0", cell.client429()), passed, failed);
          check(cell.addedWaitP50Millis() <= NO_WAIT_TOLERANCE_MILLIS,
              f("added wait p50 %.0f ms ≤ %.0f ms", cell.addedWaitP50Millis(), NO_WAIT_TOLERANCE_MILLIS), passed, failed);
          check(cell.addedWaitP99Millis() <= NO_HOLD_P99_MILLIS,
              f("added wait p99 %.0f ms ≤ %.0f ms", cell.addedWaitP99Millis(), NO_HOLD_P99_MILLIS), passed, failed);
        } else if (cell.variant() == StationVariant.STATION) {
          Optional<StationCell> noWait = peer(cell, StationVariant.NO_WAIT, all);
          noWait.ifPresent(n -> check(
              cell.client().okLatency().p50Millis() <= n.client().okLatency().p50Millis() + NO_WAIT_TOLERANCE_MILLIS,
              f("p50 %.0f ms ≤ no-wait's %.0f ms + %.0f ms", cell.client().okLatency().p50Millis(),
                  n.client().okLatency().p50Millis(), NO_WAIT_TOLERANCE_MILLIS), passed, failed));
          check(cell.ptuUtilization() * 100 >= MIN_PTU_UTILIZATION_PERCENT,
              f("PTU %.1f %% ≥ %.0f %%", cell.ptuUtilization() * 100, MIN_PTU_UTILIZATION_PERCENT), passed, failed);
          check(cell.ptu429PerAnswer() <= MAX_PTU_429_PER_ANSWER,
              f("PTU 429s per answer %.2f ≤ %.1f", cell.ptu429PerAnswer(), MAX_PTU_429_PER_ANSWER), passed, failed);
        }
      }
      case SHORT_BURSTS -> {
        if (cell.variant() == StationVariant.STATION) {
          for (StationVariant baseline : List.of(StationVariant.NO_WAIT, StationVariant.AZURE_NATIVE)) {
            peer(cell, baseline, all).ifPresent(b -> check(
                cell.paygTokens() <= (1 - MIN_PAYG_SAVING) * b.paygTokens(),
                f("PAYG tokens %,d ≤ half of %s's %,d", cell.paygTokens(), baseline.id(), b.paygTokens()), passed, failed));
          }
          check(cell.client429() == 0, f("client 429s %d = 0", cell.client429()), passed, failed);
        }
      }
      case CRITICAL_MIX -> {
        if (cell.variant() == StationVariant.STATION) {
          check(cell.critical().onPayg() == 0,
              f("critical answers on PAYG %d = 0", cell.critical().onPayg()), passed, failed);
        }
      }
      case LONG_BURSTS -> { /* no target: shown for what a long burst costs each configuration */ }
    }
    if (failed.isEmpty() && passed.isEmpty()) {
      return Verdict.NONE;
    }
    return failed.isEmpty()
        ? new Verdict(Verdict.Status.MET, String.join("; ", passed))
        : new Verdict(Verdict.Status.NOT_MET, String.join("; ", failed));
  }

  /** The bullet list the report opens with. */
  static String markdown() {
    return f("""
        - **0.8 × C**, every configuration: nothing spills (at most %.0f %% of tokens on PAYG), no client 429, no added \
        wait (added wait at most %.0f ms at p50 and %.0f ms at p99: overhead, no request held for the PTU).
        - **Short bursts**, the station: at least %.0f %% fewer PAYG tokens than no-wait and than azure-native, zero client \
        429s.
        - **Steady 1.2–10 × C**, the station: p50 within +%.0f ms of no-wait's, PTU utilization at least %.0f %%, at \
        most %.1f PTU 429s per PTU answer.
        - **Critical mix**, the station: critical requests see no PAYG spill.
        - Every other cell is a baseline (—). A target that compares with a configuration not in the run is left out \
        of the verdict.
        """, MAX_SPILL_UNDER_CAPACITY_PERCENT, NO_WAIT_TOLERANCE_MILLIS, NO_HOLD_P99_MILLIS, MIN_PAYG_SAVING * 100, NO_WAIT_TOLERANCE_MILLIS,
        MIN_PTU_UTILIZATION_PERCENT, MAX_PTU_429_PER_ANSWER);
  }

  private static Optional<StationCell> peer(StationCell cell, StationVariant variant, List<StationCell> all) {
    return all.stream().filter(c -> c.scenario() == cell.scenario() && c.variant() == variant).findFirst();
  }

  private static void check(boolean ok, String what, List<String> passed, List<String> failed) {
    (ok ? passed : failed).add(what);
  }
}
