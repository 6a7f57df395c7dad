package dev.spillway.bench;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import java.nio.file.Path;

/**
 * The gateway config of one {@link StationVariant}, as the YAML an operator would write, loaded
 * through {@link ConfigLoader} like a config file: one model with the PTU backend (and, unless the
 * variant leaves spilling to the resource, the PAYG backend), a {@code critical} and a {@code
 * standard} consumer, and key authentication. Pure text building; thread-safe.
 */
final class StationGatewayYaml {
  static final String MODEL = "gpt-4o";
  static final String CRITICAL_CONSUMER = "critical-app";
  static final String STANDARD_CONSUMER = "standard-app";

  private StationGatewayYaml() {}

  /**
   * What the text needs from the run.
   *
   * @param simulatorUrl the simulated resource's base URL
   * @param backendKey the simulator's API key
   * @param ptuDeployment the simulated PTU deployment
   * @param paygDeployment the simulated PAYG deployment
   * @param capacityTokensPerMinute C, which the station variant declares on the PTU backend
   * @param keyStore where the gateway keeps the consumers' key hashes
   * @param keyPepper the key store's pepper
   */
  record Inputs(String simulatorUrl, String backendKey, String ptuDeployment, String paygDeployment,
      long capacityTokensPerMinute, Path keyStore, String keyPepper) {}

  /** The config text for {@code variant}. */
  static String text(StationVariant variant, Inputs in) {
    StringBuilder y = new StringBuilder();
    y.append("server:\n  listen: 127.0.0.1:0\n");
    y.append("models:\n  ").append(MODEL).append(":\n");
    indent(y, variant.modelKeys(), "    ");
    y.append("    backends:\n");
    y.append(backend("ptu", in.ptuDeployment(), "ptu", 1, in));
    if (variant.declaresPtuCapacity()) {
      y.append("        capacity: { tokensPerMinute: ").append(in.capacityTokensPerMinute()).append(" }\n");
    }
    if (variant.routesToPayg()) {
      y.append(backend("payg", in.paygDeployment(), "payg", 2, in));
    }
    y.append("consumers:\n");
    y.append(consumer(CRITICAL_CONSUMER, "critical"));
    y.append(consumer(STANDARD_CONSUMER, "standard"));
    y.append("auth:\n  required: true\n");
    y.append("  keyStore: ").append(quoted(in.keyStore().toString())).append('\n');
    y.append("  keyPepper: ").append(quoted(in.keyPepper())).append('\n');
    return y.toString();
  }

  /**
   * {@link #text} loaded and checked by the gateway's own config loader.
   *
   * @throws dev.spillway.core.config.ConfigException naming the file {@code station-<variant>.yaml},
   *     line and key, for example while the gateway does not know {@code ptuWait} yet
   */
  static SpillwayConfig load(StationVariant variant, Inputs in) {
    return ConfigLoader.parse(text(variant, in), "station-" + variant.id() + ".yaml", name -> null);
  }

  private static String backend(String id, String deployment, String tier, int priority, Inputs in) {
    return """
              - id: %s
                type: azure
                url: %s
                deployment: %s
                auth: { apiKey: %s }
                tier: %s
                priority: %d
                region: local
        """.formatted(id, in.simulatorUrl(), deployment, quoted(in.backendKey()), tier, priority);
  }

  private static String consumer(String id, String priorityClass) {
    return """
          - id: %s
            team: bench
            models: [%s]
            priorityClass: %s
        """.formatted(id, MODEL, priorityClass);
  }

  private static void indent(StringBuilder y, String lines, String prefix) {
    lines.lines().forEach(line -> y.append(prefix).append(line).append('\n'));
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
