package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.plan.PlanReport;
import dev.spillway.core.plan.PlanRequest;
import dev.spillway.core.plan.Planner;
import dev.spillway.core.plan.RecordedTraffic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spillway plan}: how many PTUs each model should have, from the traffic the config's usage ledger recorded.
 * The period's rows are streamed into compact per-model series, each candidate PTU count is replayed through the
 * router on a manual clock ({@link dev.spillway.core.plan.CapacityReplay}), and the plan is printed on stdout. Safe to
 * run while a gateway writes the same ledger.
 *
 * <p>Exit codes: 0 printed; 2 user error (invalid config or option, no ledger, nothing plannable); 1 the ledger cannot
 * be read.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "PTU capacity planning: replay the ledger's traffic for candidate PTU counts per model, price each"
        + " a month and recommend the cheapest that meets a spill and wait target.")
final class PlanCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Gateway config (YAML) with the ledger, the costs (costs.payg, costs.ptuUnitMonthly) and plan:.")
  Path config;

  @Option(names = "--from", paramLabel = "WHEN",
      description = "First day or instant replayed: 2026-11-01 (UTC midnight) or 2026-11-01T08:00:00Z.")
  String from;

  @Option(names = "--to", paramLabel = "WHEN", description = "First day or instant not replayed. Default: now.")
  String to;

  @Option(names = "--period", paramLabel = "DURATION",
      description = "Instead of --from: how long before --to to start, e.g. 1d or 12h. Default: 7d.")
  String period;

  @Option(names = "--model", paramLabel = "MODEL[,MODEL...]",
      description = "The models to plan. Default: every model with traffic in the period that can be planned.")
  String models;

  @Option(names = "--candidates", paramLabel = "LIST",
      description = "PTU counts to try: 0,15,20 or 0..40 or 15..100/5. Default: 0 and the model's deployable sizes up"
          + " to one step past its busiest minute.")
  String candidates;

  @Option(names = "--max-spill", paramLabel = "PERCENT",
      description = "Target: at most this share of tokens served by PAYG, e.g. 5%%.")
  String maxSpill;

  @Option(names = "--max-p99-wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Target: at most this p99 wait for the PTU, e.g. 2s.")
  Duration maxP99Wait;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
  String format;

  PlanCommand() {
    this(Clock.systemUTC());
  }

  /** With a fixed clock, for tests of the default period. */
  PlanCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    PlanRequest request = PlanRequest.parse(Optional.ofNullable(from), Optional.ofNullable(to),
        Optional.ofNullable(period), Optional.ofNullable(models), Optional.ofNullable(candidates),
        Optional.ofNullable(maxSpill), Optional.ofNullable(maxP99Wait), Optional.ofNullable(format), clock.instant());
    SpillwayConfig loaded = ConfigLoader.load(config);
    RecordedTraffic traffic = new RecordedTraffic(request.period());
    try (LedgerReader r = ConfiguredLedger.open(loaded, config)) {
      r.requests(request.period().from(), request.period().to(), traffic);
    } catch (LedgerUnavailableException e) {
      spec.commandLine().getErr().println("spillway: cannot read the usage ledger: " + e.getMessage());
      return 1;
    }
    PlanReport plan = Planner.plan(loaded, traffic, request);
    spec.commandLine().getOut().print(request.format().render(plan));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
