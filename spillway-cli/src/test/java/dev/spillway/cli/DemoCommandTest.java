package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  private static long served(String summary, String backend) {
    Matcher m = Pattern.compile("gpt-4o/" + backend + "\\s+(?:ptu|payg)\\s+(?:ok|forced|half-open|429 [\\d.]+s|open [\\d.]+s)\\s+(\\d+)").matcher(summary);
    assertThat(m.find()).as("row for %s in%n%s", backend, summary).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void demoSpillsFromPtuToPaygAndPrintsASummary() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = SpillwayCli.commandLine().execute("demo", "--duration", "6s", "--rate", "30", "--port", "0");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(exit).isZero();
    assertThat(out).contains("Spillway demo: gateway at http://127.0.0.1:").contains("curl http://127.0.0.1:");
    String summary = out.substring(out.indexOf("Summary after"));
    assertThat(served(summary, "ptu-eastus") + served(summary, "ptu-swedencentral")).isPositive();
    assertThat(served(summary, "payg-eastus") + served(summary, "payg-swedencentral")).isPositive();
    assertThat(out).contains("consumer nightly-batch (team finance)");
    // Refusals by the batch consumer's own limit are counted apart from backend-exhaustion 429s.
    Matcher clients =
        Pattern.compile("clients: (\\d+) ok, (\\d+) got 429, \\d+ other errors, \\d+ refused by their limits").matcher(summary);
    assertThat(clients.find()).isTrue();
    assertThat(Long.parseLong(clients.group(1))).isPositive();
    assertThat(Long.parseLong(clients.group(2))).as("client 429s in%n%s", summary).isZero();
    // A fifth of the chat traffic sets no max_tokens: the gateway's output-token default shows in the summary.
    Matcher maxTokens = Pattern.compile("Output-token policy: the gateway set max tokens on (\\d+) responses").matcher(summary);
    assertThat(maxTokens.find()).as(summary).isTrue();
    assertThat(Long.parseLong(maxTokens.group(1))).isPositive();
    // The cache tour: a question, the same again (an exact hit), then the opposite question (the guard keeps it a miss).
    assertThat(summary).contains("Cache tour:\n  \"How do I turn on automatic backups?\" -> 200 MISS\n"
        + "  \"How do I turn on automatic backups?\" -> 200 HIT\n");
    assertThat(summary).contains("\"How do I turn off automatic backups?\" -> 200 MISS");
    Matcher cache = Pattern.compile("Response cache: of (\\d+) frequent questions .*, (\\d+) were answered from the exact layer")
        .matcher(summary);
    assertThat(cache.find()).as(summary).isTrue();
    // The demo's batch job ran through the gateway and its tokens were booked when its output was read.
    Matcher batch = Pattern.compile("Batch job: (\\d+) requests run as one batch .*; (\\d+) tokens booked").matcher(summary);
    assertThat(batch.find()).as(summary).isTrue();
    assertThat(Integer.parseInt(batch.group(1))).isEqualTo(8);
    assertThat(Long.parseLong(batch.group(2))).isPositive();
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"serve", "simulate", "demo"}) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      var cli = SpillwayCli.commandLine();
      cli.setOut(new java.io.PrintWriter(captured, true, StandardCharsets.UTF_8));
      assertThat(cli.execute(command, "--help")).isZero();
      assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Usage: spillway " + command);
    }
  }
}
