package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the soak harness from rotting: the whole soak in about half a minute (a short peak, 20 s of load, a 3 s
 * PostgreSQL blackhole and a 3 s Redis refusal) against a real simulator and gateway as child processes, the shared
 * Redis and PostgreSQL on loopback. It checks the one thing that holds however short the run: every answered request
 * has its ledger row once the gateway stopped on SIGTERM. Flatness over 20 s means nothing and is not asserted.
 */
class SoakBenchmarkSmokeTest {

  @Test
  void soaksThroughBothOutagesAndBooksEveryAnsweredRequest(@TempDir Path out, @TempDir Path work)
      throws Exception {
    SoakSettings settings = SoakSettings.parse(
        "--duration", "15s",
        "--settle", "2s",
        "--sample-every", "2s",
        "--full-gc-every", "4s",
        "--peak-warmup", "2s",
        "--peak-duration", "3s",
        "--peak-connections", "8",
        "--load", "0.3",
        "--db-outage-at", "0.3",
        "--db-outage", "3s",
        "--redis-outage-at", "0.6",
        "--redis-outage", "3s",
        "--out", out.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    SoakRun run = SoakBenchmark.run(settings, work, new PrintStream(log, true, StandardCharsets.UTF_8));
    SoakReport.write(run);

    assertThat(run.peak().requestsPerSecond()).isPositive();
    assertThat(run.answered()).isPositive();
    assertThat(run.ledgerProblem()).isEmpty();
    // Every answered request is booked, and no row is more than a request sent: a row is committed before its answer
    // ends, so a request the gateway served whose status line the client never saw may have one too.
    assertThat(run.ledgerRows()).as("ledger rows for the soak's consumer").isBetween(run.answered(), run.sent());
    assertThat(run.gatewayExit()).as("the gateway's exit code after SIGTERM").hasValue(0);
    assertThat(run.databaseOutage()[1]).isGreaterThan(run.databaseOutage()[0]).isGreaterThan(0);
    assertThat(run.redisOutage()[1]).isGreaterThan(run.redisOutage()[0]).isGreaterThan(0);
    assertThat(run.samples()).extracting(SoakSample::phase).contains("steady", "database outage", "redis outage");
    assertThat(run.samples()).allMatch(s -> s.rssMiB() > 0 && s.openFiles() > 0);
    assertThat(run.samples().getFirst().heapAfterGcMiB()).as("heap read through JMX").isPositive();
    assertThat(run.samples().get(1).liveHeapMiB()).as("live heap after a requested full GC").isPositive();
    assertThat(run.samples().get(2).afterForcedGc()).isTrue();
    assertThat(run.verdicts()).hasSize(5);
    assertThat(run.p99BySpan()).as("15 s in spans of 2.5 s").hasSize(6);
    assertThat(run.p99BySpan()).filteredOn(sp -> !sp.steady()).isNotEmpty(); // the outages are marked

    assertThat(Files.readString(out.resolve("soak.md")))
        .contains("# Soak", "## Verdicts", "ledger rows = answered requests", "## p99 by span", "## Timeline",
            "database outage");
    assertThat(new JsonObject(Files.readString(out.resolve("soak.json"))).getLong("ledgerRows"))
        .isEqualTo(run.answered());
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("PostgreSQL blackhole starts", "Redis refusal ends");
  }

  @Test
  void flagsNameTheProblemAndShortRunsCompareASixth() {
    assertThatThrownBy(() -> SoakSettings.parse("--load", "1.5")).hasMessageContaining("--load");
    assertThatThrownBy(() -> SoakSettings.parse("--duration", "60s", "--db-outage-at", "0.9"))
        .hasMessageContaining("--db-outage must end before the load does");
    assertThatThrownBy(() -> SoakSettings.parse("--nope", "1")).hasMessageContaining("--nope");
    assertThat(SoakSettings.defaults().comparedSpan()).isEqualTo(Duration.ofMinutes(5));
    assertThat(SoakSettings.parse("--duration", "60s", "--sample-every", "2s", "--redis-outage", "5s").comparedSpan())
        .isEqualTo(Duration.ofSeconds(10));
  }
}
