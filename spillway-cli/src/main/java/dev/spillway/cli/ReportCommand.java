package dev.spillway.cli;

import dev.spillway.core.chargeback.ChargebackCalculator;
import dev.spillway.core.chargeback.PromptCacheCalculator;
import dev.spillway.core.chargeback.ReportDimension;
import dev.spillway.core.chargeback.ReportFormat;
import dev.spillway.core.chargeback.ReportRequest;
import dev.spillway.core.chargeback.SafetyCalculator;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageTotals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spillway report}: the chargeback report of the config's usage ledger (SQLite or PostgreSQL) priced with its
 * {@code costs:}, printed on stdout; with {@code --cache}, the prompt-cache report (per consumer or team and model: the
 * share of prompt tokens the provider served from its cache, prefix stability, what the cache saved, and who should
 * reorder their prompts); with {@code --safety}, the safety report (the content guard's verdicts per day or hour, by
 * category and by severity, the blocked share, and the end users flagged most often). Safe to run while a gateway
 * writes the same ledger.
 *
 * <p>Exit codes: 0 printed; 2 user error (invalid config or parameter, no ledger configured); 1 the ledger cannot be
 * read.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Chargeback: tokens, requests and cost per team, consumer, model, backend, tier, operation or end user"
        + " over a period.")
final class ReportCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Gateway config (YAML) with the ledger and the costs.")
  Path config;

  @Option(names = "--from", paramLabel = "WHEN",
      description = "First day or instant included: 2026-11-01 (UTC midnight) or 2026-11-01T08:00:00Z. "
          + "Default: the start of the UTC month --to falls in.")
  String from;

  @Option(names = "--to", paramLabel = "WHEN", description = "First day or instant not included. Default: now.")
  String to;

  @Option(names = "--by", paramLabel = "DIMENSION", description = "team (default), consumer, model, backend, tier, operation or user (the end user a request named:"
          + " its body's user or the configured ledger.endUserHeader; none is shown as (none)).")
  String by;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), csv or json.")
  String format;

  @Option(names = "--cache",
      description = "The provider prompt-cache report instead: per consumer (or --by team) and model, the cached share "
          + "of prompt tokens, prompt tokens per request, prefix stability, the money saved, and flags.")
  boolean cache;

  @Option(names = "--safety",
      description = "The safety report instead: per day (or --bucket hour, UTC) the requests and the content guard's "
          + "verdicts (logged, masked, blocked) per category and per severity (0-7), the blocked share, and the end "
          + "users with the highest flagged share (at least 10 requests).")
  boolean safety;

  @Option(names = "--bucket", paramLabel = "WIDTH", description = "With --safety: day (default) or hour.")
  String bucket;

  ReportCommand() {
    this(Clock.systemUTC());
  }

  /** With a fixed clock, for tests of the default period. */
  ReportCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> given = new HashMap<>();
    given.put("from", from);
    given.put("to", to);
    given.put("by", by);
    given.put("format", format);
    given.put("cache", Boolean.toString(cache));
    given.put("safety", Boolean.toString(safety));
    given.put("bucket", bucket);
    ReportRequest request = ReportRequest.parse(name -> Optional.ofNullable(given.get(name)), ReportFormat.TABLE,
        clock.instant());
    SpillwayConfig loaded = ConfigLoader.load(config);
    String printed;
    try (LedgerReader r = ConfiguredLedger.open(loaded, config)) {
      if (request.safety()) {
        printed = request.format().render(SafetyCalculator.report(
            r.safety(request.period().from(), request.period().to(), request.bucket()), request.period(),
            request.bucket()));
      } else if (request.promptCache()) {
        printed = request.format().render(PromptCacheCalculator.report(
            r.promptCache(request.period().from(), request.period().to()), loaded.costs(), request.period(),
            request.by()));
      } else {
        // Only a report by user needs the sums split by end user (of which there may be many).
        List<UsageTotals> usage = request.by() == ReportDimension.USER
            ? r.totalsByEndUser(request.period().from(), request.period().to())
            : r.totals(request.period().from(), request.period().to());
        printed = request.format().render(ChargebackCalculator.report(usage, loaded.costs(), request.period(),
            request.by()));
      }
    } catch (LedgerUnavailableException e) {
      spec.commandLine().getErr().println("spillway: cannot read the usage ledger: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().print(printed);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
