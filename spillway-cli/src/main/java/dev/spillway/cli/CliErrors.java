package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import picocli.CommandLine;

/** Turns failures of a command into one readable message and an exit code, without a stack trace for user errors. */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
    Throwable cause = ex;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ConfigException || cause instanceof IllegalArgumentException) {
      cli.getErr().println("spillway: " + cause.getMessage());
      return 2;
    }
    if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
      cli.getErr().println("spillway: cannot listen: " + cause.getMessage());
      return 3;
    }
    if (cause instanceof IllegalStateException || cause instanceof java.io.UncheckedIOException) {
      // A file the gateway needs is unreadable or corrupt (key store, consumer file): the message names it.
      cli.getErr().println("spillway: " + cause.getMessage());
      return 1;
    }
    cli.getErr().println("spillway: " + cause);
    cause.printStackTrace(cli.getErr());
    return 1;
  }
}
