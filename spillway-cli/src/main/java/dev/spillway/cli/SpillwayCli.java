package dev.spillway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command line: one jar, every role. */
@Command(
    name = "spillway",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A GenAI gateway for Azure OpenAI and OpenAI-compatible backends: PTU first, spill to PAYG.",
    subcommands = {ServeCommand.class, SimulateCommand.class, DemoCommand.class, InitCommand.class, KeysCommand.class, ReportCommand.class, PlanCommand.class, TrainStartupCommand.class,
        CommandLine.HelpCommand.class})
public final class SpillwayCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * One line per log event: time (milliseconds, with the zone offset), level, logger, message, and a stack trace only where the event
   * carries one (a bug, not an expected outage). The JDK's default spreads each event over two lines, which log
   * collectors split into two records. An operator's own {@code -Djava.util.logging.SimpleFormatter.format} wins.
   */
  static final String LOG_LINE = "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n";

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_LINE);
    }
    System.exit(commandLineFor(args).execute(args));
  }

  /**
   * The command line to run {@code args} with: for {@code serve ...}, a root that holds the {@code serve} subcommand
   * only, so that a gateway's start does not spend picocli's reflection on the eight other commands (about a tenth of its
   * start-up work before it is ready); for anything else, {@link #commandLine()}. {@code serve}'s options, usage and
   * errors are the same in both: its usage is named {@code spillway serve} from the same root name, and nothing of the
   * root applies after the subcommand's name.
   */
  static CommandLine commandLineFor(String[] args) {
    if (args.length == 0 || !"serve".equals(args[0])) {
      return commandLine();
    }
    CommandLine cli = new CommandLine(CommandLine.Model.CommandSpec.wrapWithoutInspection(new SpillwayCli()).name("spillway"));
    cli.addSubcommand("serve", new ServeCommand());
    cli.setExecutionExceptionHandler(new CliErrors());
    return cli;
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
