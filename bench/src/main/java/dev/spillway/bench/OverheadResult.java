package dev.spillway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The overhead scenario's figures: each participant's closed-loop peak and its latency at one fixed
 * rate shared by all, with the CPU each side used so the load generator's own cost shows.
 *
 * @param loadTool the peak load tool (wrk or java)
 * @param fixedRate requests per second offered to every participant in the latency runs
 * @param rows one per participant measured, direct first
 * @param notes participants skipped and why, and other caveats
 */
record OverheadResult(String loadTool, int connections, double fixedRate, List<Row> rows, List<String> notes) {

  /**
   * @param name participant
   * @param peak its closed-loop peak
   * @param peakServerCores CPU cores the participant used during the peak run (CPU seconds ÷ wall seconds)
   * @param peakUpstreamCores cores the upstream (simulator) used meanwhile
   * @param fixed the fixed-rate run (open loop, latency from each request's send)
   * @param fixedServerCores cores the participant used during the fixed-rate run
   * @param fixedLoadCores cores the Java load generator (this JVM) used during the fixed-rate run
   */
  record Row(
      String name,
      PeakResult peak,
      double peakServerCores,
      double peakUpstreamCores,
      OpenLoopGenerator.Summary fixed,
      double fixedServerCores,
      double fixedLoadCores) {}

  Row row(String name) {
    return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  JsonObject toJson() {
    JsonArray rs = new JsonArray();
    for (Row r : rows) {
      OpenLoopGenerator.Summary f = r.fixed();
      rs.add(
          new JsonObject()
              .put("participant", r.name())
              .put("peak", r.peak().toJson())
              .put("peakServerCores", r.peakServerCores())
              .put("peakUpstreamCores", r.peakUpstreamCores())
              .put(
                  "fixedRate",
                  new JsonObject()
                      .put("sent", f.windowSent())
                      .put("ok", f.windowOk())
                      .put("errors", f.window429() + f.windowOtherErrors())
                      .put("errorsByKind", new JsonObject(new java.util.TreeMap<String, Object>(f.windowErrorsByKind())))
                      .put("p50Millis", f.okLatency().p50Millis())
                      .put("p99Millis", f.okLatency().p99Millis())
                      .put("maxMillis", f.okLatency().maxMillis())
                      .put("serverCores", r.fixedServerCores())
                      .put("loadGeneratorCores", r.fixedLoadCores())));
    }
    return new JsonObject()
        .put("loadTool", loadTool)
        .put("connections", connections)
        .put("fixedRatePerSecond", fixedRate)
        .put("participants", rs)
        .put("notes", new JsonArray(notes));
  }
}
