package dev.spillway.core.chargeback;

/**
 * A report was asked for with a parameter that cannot be used. The message is one line meant for the person who
 * asked; {@link #parameter()} names the parameter ({@code from}, {@code to}, {@code by}, {@code format}).
 */
public final class ReportParameterException extends IllegalArgumentException {
  private final String parameter;

  public ReportParameterException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
