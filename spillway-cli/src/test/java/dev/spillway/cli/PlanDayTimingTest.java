package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A day of a busy gateway end to end: 135,720 gpt-4o requests (more by day than by night) written through the SQLite
 * sink, then {@code spillway plan} over that day with its default candidates. The test checks that every row was
 * replayed for every candidate and reports how long the command took; it asserts no wall-clock figure (the README
 * quotes the measurement).
 */
class PlanDayTimingTest {
  private static final Instant DAY = Instant.parse("2026-11-03T00:00:00Z");

  @Test
  void plansADayOfMoreThanAHundredThousandRequests(@TempDir Path dir) throws Exception {
    PlanLedger ledger = new PlanLedger(dir, PlanLedger.CONFIG);
    // 24 hourly blocks, busier by day: 2,000 requests an hour at midnight up to 8,000 at midday, 135,720 in all
    int total = 0;
    for (int hour = 0; hour < 24; hour++) {
      int requests = 2_000 + (int) Math.round(6_000 * Math.sin(Math.PI * hour / 23));
      total += requests;
      ledger.steady("gpt-4o", DAY.plus(Duration.ofHours(hour)), Duration.ofHours(1), requests,
          300 + 60L * (hour % 7), 40 + 10L * (hour % 5), hour % 4 == 0 ? "payg" : "ptu");
    }
    long writing = System.nanoTime();
    ledger.write();
    writing = System.nanoTime() - writing;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SpillwayCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    long started = System.nanoTime();
    int exit = cli.execute("plan", "--config", ledger.config().toString(), "--from", "2026-11-03", "--to", "2026-11-04",
        "--model", "gpt-4o", "--max-spill", "5%", "--max-p99-wait", "2s", "--format", "json");
    long elapsed = System.nanoTime() - started;

    assertThat(exit).as(err.toString()).isZero();
    JsonNode gpt4o = new ObjectMapper().readTree(out.toString()).get("models").get(0);
    assertThat(gpt4o.get("requests").asLong()).isEqualTo(total).isGreaterThanOrEqualTo(100_000);
    for (JsonNode c : gpt4o.get("candidates")) {
      assertThat(c.get("requests").asLong()).isEqualTo(total);
    }
    System.out.printf(Locale.ROOT,
        "plan timing: %d ledger rows written in %d ms; spillway plan read and replayed them for %d candidates in %d ms"
            + " (%d processors), recommending %d PTU%n",
        total, writing / 1_000_000, gpt4o.get("candidates").size(), elapsed / 1_000_000,
        Runtime.getRuntime().availableProcessors(), gpt4o.get("recommendation").get("ptus").asInt());
  }
}
