package dev.spillway.bench;

import java.util.Arrays;

/**
 * The configurations {@link StationBenchmark} compares, in the order they run. Each is a gateway
 * config written as YAML (see {@link StationGatewayYaml}) so that keys the gateway is still learning
 * can be written before they exist in code: everything a variant sets on its model is in {@link
 * #modelKeys}, one line per key.
 */
enum StationVariant {
  /** PTU first, PAYG at once on a PTU 429. */
  NO_WAIT("no-wait", "priority, no wait"),
  /** PTU first; when every PTU is throttled but frees within 1500 ms, wait for it (the routing's fixed wait). */
  FIXED_WAIT("fixed-wait", "priority + fixed wait 1500ms"),
  /** PTU first through the PTU station, which knows the PTU's capacity and holds requests up to 1500 ms. */
  STATION("station", "PTU station, wait up to 1500ms"),
  /** The gateway knows only the PTU; the simulated resource spills a request its PTU throttles to PAYG itself. */
  AZURE_NATIVE("azure-native", "PTU only + Azure's own spillover");

  /** How long {@code fixed-wait} and {@code station} may hold a request for the PTU. */
  static final String MAX_WAIT_FOR_PTU = "1500ms";

  private final String id;
  private final String label;

  StationVariant(String id, String label) {
    this.id = id;
    this.label = label;
  }

  String id() {
    return id;
  }

  String label() {
    return label;
  }

  /**
   * The model's own keys, one per line, unindented. The baselines are the router as it was before the station
   * ({@code ptuWait: fixed}); only {@code station} uses the station.
   */
  String modelKeys() {
    return switch (this) {
      case NO_WAIT -> """
          strategy: priority
          ptuWait: fixed
          maxWaitForPtu: 0s
          """;
      case FIXED_WAIT -> "strategy: priority\nptuWait: fixed\nmaxWaitForPtu: " + MAX_WAIT_FOR_PTU + "\n";
      case STATION -> """
          strategy: priority
          ptuWait: station
          maxWaitForPtu: %s
          """.formatted(MAX_WAIT_FOR_PTU);
      case AZURE_NATIVE -> """
          strategy: priority
          ptuWait: fixed
          """;
    };
  }

  /** Whether the PTU backend declares {@code capacity: { tokensPerMinute: C }} (the station paces by it). */
  boolean declaresPtuCapacity() {
    return this == STATION;
  }

  /** Whether the gateway has the PAYG backend at all (azure-native leaves spilling to the resource). */
  boolean routesToPayg() {
    return this != AZURE_NATIVE;
  }

  /** Whether the simulated PTU deployment names the PAYG one as its {@code spilloverDeployment}. */
  boolean simulatorSpillsOver() {
    return this == AZURE_NATIVE;
  }

  static StationVariant fromId(String id) {
    return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown configuration '" + id + "'; expected one of "
            + String.join(", ", Arrays.stream(values()).map(StationVariant::id).toList())));
  }
}
