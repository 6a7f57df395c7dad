package dev.spillway.cli;

import dev.spillway.core.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations such as {@code 90s}, {@code 2m}, {@code 1m30s} on the command line. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (use for example 30s, 2m, 1m30s)");
    }
  }
}
