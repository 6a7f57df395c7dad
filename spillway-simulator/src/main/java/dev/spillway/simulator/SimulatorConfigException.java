package dev.spillway.simulator;

/**
 * A simulator config that cannot be used. The message names the source, the line (when known) and
 * the key, e.g. {@code sim.yaml line 12: deployments[1].tier: expected one of [ptu, payg], got 'ptux'}.
 */
public final class SimulatorConfigException extends IllegalArgumentException {
  private final String key;

  SimulatorConfigException(String source, int line, String key, String problem, Throwable cause) {
    super(source + (line > 0 ? " line " + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + problem, cause);
    this.key = key;
  }

  /** The dotted path of the offending key ({@code deployments[1].tier}), empty for the document. */
  public String key() {
    return key;
  }
}
