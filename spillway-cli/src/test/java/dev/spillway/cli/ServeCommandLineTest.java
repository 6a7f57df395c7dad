package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spillway serve ...} runs on a command line that holds {@code serve} only (a faster start); what the operator
 * sees of it — usage, option errors, config errors and their exit codes — is what the full command line gives.
 */
class ServeCommandLineTest {

  @Test
  void theServeOnlyCommandLineIsUsedForServeAlone() {
    assertThat(SpillwayCli.commandLineFor(new String[] {"serve", "-c", "x.yaml"}).getSubcommands()).containsOnlyKeys("serve");
    assertThat(SpillwayCli.commandLineFor(new String[] {"keys", "list"}).getSubcommands()).containsKeys("serve", "keys", "simulate");
    assertThat(SpillwayCli.commandLineFor(new String[] {"--help", "serve"}).getSubcommands()).containsKey("keys");
    assertThat(SpillwayCli.commandLineFor(new String[0]).getSubcommands()).containsKey("keys");
  }

  @Test
  void serveHelpIsTheSame() {
    assertSameRun("serve", "--help");
  }

  @Test
  void anUnknownOptionAndAMissingConfigAreRefusedAlike() {
    assertSameRun("serve", "--no-such-option");
    assertSameRun("serve");
    assertSameRun("serve", "-c", "a.yaml", "extra");
  }

  @Test
  void anInvalidConfigIsReportedAlike(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("spillway.yaml");
    Files.writeString(config, "server: { listen: 127.0.0.1:0 }\nmodels: {}\nnoSuchKey: 1\n");
    Run full = run(SpillwayCli.commandLine(), "serve", "-c", config.toString());
    assertThat(full.exit).isEqualTo(2);
    assertThat(run(SpillwayCli.commandLineFor(new String[] {"serve"}), "serve", "-c", config.toString())).isEqualTo(full);
  }

  private static void assertSameRun(String... args) {
    Run full = run(SpillwayCli.commandLine(), args);
    Run serveOnly = run(SpillwayCli.commandLineFor(args), args);
    assertThat(serveOnly).isEqualTo(full);
    assertThat(full.out + full.err).contains("spillway serve");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
