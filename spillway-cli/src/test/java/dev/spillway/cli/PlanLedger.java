package dev.spillway.cli;

import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.gateway.ledger.SqliteLedgerSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A config and an SQLite ledger for {@code spillway plan} tests: rows are written through the gateway's own {@link
 * SqliteLedgerSink}, so the command reads exactly what a gateway would have left. The config declares gpt-4o (a PTU
 * and a PAYG backend, PTU waits of 1.5 s) and chat (PAYG only, no published figures) with prices.
 */
final class PlanLedger {
  static final String CONFIG = """
      models:
        gpt-4o:
          maxWaitForPtu: 1500ms
          backends:
            - { id: ptu-1, url: "http://127.0.0.1:1", deployment: d, tier: ptu, priority: 1 }
            - { id: payg-1, url: "http://127.0.0.1:1", deployment: d, tier: payg, priority: 2 }
        chat:
          backends:
            - { id: payg-chat, url: "http://127.0.0.1:1", deployment: c, tier: payg }
      costs:
        currency: EUR
        ptuUnitMonthly: 260
        payg:
          gpt-4o: { input: 0.0025, output: 0.01, cachedInput: 0.00125 }
          chat: { input: 0.001, output: 0.002 }
      ledger:
        sqlite: data/usage.db
        spillDirectory: data/spill
      """;

  private final Path config;
  private final Path ledger;
  private final List<UsageRecord> rows = new ArrayList<>();

  PlanLedger(Path dir, String configYaml) throws IOException {
    this.config = dir.resolve("spillway.yaml");
    this.ledger = dir.resolve("data").resolve("usage.db");
    Files.writeString(config, configYaml);
  }

  Path config() {
    return config;
  }

  /** {@code count} requests of {@code model} spread evenly over {@code length} from {@code start}. */
  PlanLedger steady(String model, Instant start, Duration length, int count, long prompt, long completion, String tier) {
    for (int i = 0; i < count; i++) {
      Instant at = start.plusNanos(length.toNanos() * i / count);
      rows.add(UsageRecord.builder(model + "-" + start.toEpochMilli() + "-" + i, at).consumer("app").team("team")
          .clientIp("10.0.0.1").route("chat").model(model).backend(tier + "-1").tier(tier).region("eastus").status(200)
          .tokens(prompt, completion, 0, 0).latencyMillis(800).attempts(1).spilled(tier.equals("payg")).build());
    }
    return this;
  }

  /** A request refused before any backend answered: no tokens. */
  PlanLedger refused(String model, Instant at, int status) {
    rows.add(UsageRecord.builder("refused-" + at.toEpochMilli(), at).consumer("app").team("team")
        .clientIp("10.0.0.1").route("chat").model(model).status(status).latencyMillis(3).build());
    return this;
  }

  /** Writes every row so far through the SQLite sink, in batches as the gateway's writer does, and closes it. */
  PlanLedger write() throws Exception {
    SqliteLedgerSink sink = SqliteLedgerSink.open(ledger);
    try {
      for (int from = 0; from < rows.size(); from += 2_000) {
        sink.write(rows.subList(from, Math.min(rows.size(), from + 2_000)));
      }
    } finally {
      sink.close();
    }
    rows.clear();
    return this;
  }
}
