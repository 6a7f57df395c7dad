package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainStartupCommandTest {

  @Test
  void theTrainingRunServesEveryKindOfRequestItSendsAndExitsZero() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    java.io.StringWriter errors = new java.io.StringWriter();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      var cli = SpillwayCli.commandLine();
      cli.setErr(new java.io.PrintWriter(errors, true));
      exit = cli.execute("train-startup", "--duration", "1s");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8) + errors;

    assertThat(exit).as(out).isZero();
    Matcher m = Pattern.compile("start-up training served \\{200=(\\d+), 400=(\\d+), 401=(\\d+), 403=(\\d+)}").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    long ok = Long.parseLong(m.group(1));
    long malformed = Long.parseLong(m.group(2));
    long noKey = Long.parseLong(m.group(3));
    long notPermitted = Long.parseLong(m.group(4));
    // Eight requests a round: five served (two chat dialects, a stream, embeddings, the model list), three refused.
    assertThat(malformed).isPositive().isEqualTo(noKey).isEqualTo(notPermitted);
    assertThat(ok).isEqualTo(5 * malformed);
  }
}
