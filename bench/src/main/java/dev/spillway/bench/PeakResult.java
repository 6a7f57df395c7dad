package dev.spillway.bench;

import io.vertx.core.json.JsonObject;

/**
 * A closed-loop run at full speed: {@code connections} clients each sending the next request as
 * soon as the previous answer arrived.
 *
 * @param tool what generated the load ({@code wrk} or {@code java})
 * @param requestsPerSecond answered requests per second (any status)
 * @param errors non-2xx answers plus transport errors
 * @param p50Millis closed-loop latency median as the tool measured it
 * @param p99Millis closed-loop latency p99
 * @param seconds length of the measured run
 * @param loadGeneratorCpuSeconds CPU the load generator used during the run; -1 if unknown
 */
record PeakResult(
    String tool, double requestsPerSecond, long errors, double p50Millis, double p99Millis, double seconds,
    double loadGeneratorCpuSeconds) {
  JsonObject toJson() {
    return new JsonObject()
        .put("tool", tool)
        .put("requestsPerSecond", requestsPerSecond)
        .put("errors", errors)
        .put("p50Millis", p50Millis)
        .put("p99Millis", p99Millis)
        .put("seconds", seconds)
        .put("loadGeneratorCpuSeconds", loadGeneratorCpuSeconds);
  }
}
