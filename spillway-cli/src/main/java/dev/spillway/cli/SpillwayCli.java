package dev.spillway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command line: one jar, every role. */
@Command(
    name = "spillway",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A GenAI gateway for Azure OpenAI and OpenAI-compatible backends: PTU first, spill to PAYG.",
    subcommands = {ServeCommand.class, SimulateCommand.class, DemoCommand.class, KeysCommand.class, ReportCommand.class, PlanCommand.class,
        CommandLine.HelpCommand.class})
public final class SpillwayCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured picocli command line (tests call it without exiting the JVM). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SpillwayCli());
    cli.setExecutionExceptionHandler(new CliErrors());
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
