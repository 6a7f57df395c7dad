package dev.spillway.bench;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One sampling period of the soak: the gateway process as {@code /proc}, its JVM and its {@code /metrics} showed it at
 * the period's end, and what the load generator saw during it. -1 marks a figure that could not be read.
 *
 * @param startSeconds the period's start, seconds after the load started
 * @param endSeconds its end
 * @param phase {@code steady}, or the outage that overlapped it ({@code database outage}, {@code redis outage})
 * @param heapAfterGcMiB the gateway's heap as its last collection left it ({@link JvmHeapProbe})
 * @param liveHeapMiB its heap after a full collection the sampler requested at the period's end; -1 if none
 * @param heapCommittedMiB heap the gateway's JVM holds from the OS
 * @param forcedGcMillis how long that requested collection took; -1 if none
 * @param afterForcedGc a collection was requested at the end of the previous period, so this period's answers
 *     include its pause
 * @param rssMiB the gateway's resident memory ({@code VmRSS})
 * @param openFiles the gateway's open file descriptors
 * @param openSockets of those, sockets (clients, the simulator, Redis, PostgreSQL)
 * @param gatewayCpuCores the gateway's CPU use in the period, in cores
 * @param machineBusyCores every process's CPU use in the period, in cores (ours, the shared servers', others')
 * @param sent requests sent in the period
 * @param answered status lines received in the period
 * @param p50Millis latency median of the answers finished in the period, from when each was due
 * @param p99Millis its 99th percentile
 * @param maxMillis its maximum
 * @param byStatus finished answers by kind (see {@link SoakTraffic.Window})
 * @param notAnswered failures before a status line, by exception
 * @param ledgerBacklog {@code spillway_ledger_backlog_records}: usage rows not yet in the database
 * @param latency the period's latency histogram in microseconds, for merging spans (not in the JSON)
 */
record SoakSample(
    double startSeconds,
    double endSeconds,
    String phase,
    double heapAfterGcMiB,
    double liveHeapMiB,
    double heapCommittedMiB,
    double forcedGcMillis,
    boolean afterForcedGc,
    double rssMiB,
    long openFiles,
    long openSockets,
    double gatewayCpuCores,
    double machineBusyCores,
    long sent,
    long answered,
    double p50Millis,
    double p99Millis,
    double maxMillis,
    Map<String, Long> byStatus,
    Map<String, Long> notAnswered,
    long ledgerBacklog,
    Histogram latency) {

  SoakSample {
    byStatus = Map.copyOf(byStatus);
    notAnswered = Map.copyOf(notAnswered);
  }

  double answeredPerSecond() {
    double seconds = endSeconds - startSeconds;
    return seconds > 0 ? answered / seconds : 0;
  }

  /** Finished answers whose status was not 2xx or whose stream or body was cut. */
  long errors() {
    return byStatus.entrySet().stream()
        .filter(e -> !e.getKey().endsWith(" 200"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("startSeconds", startSeconds)
        .put("endSeconds", endSeconds)
        .put("phase", phase)
        .put("heapAfterGcMiB", heapAfterGcMiB)
        .put("liveHeapMiB", liveHeapMiB)
        .put("heapCommittedMiB", heapCommittedMiB)
        .put("forcedGcMillis", forcedGcMillis)
        .put("afterForcedGc", afterForcedGc)
        .put("rssMiB", rssMiB)
        .put("openFiles", openFiles)
        .put("openSockets", openSockets)
        .put("gatewayCpuCores", gatewayCpuCores)
        .put("machineBusyCores", machineBusyCores)
        .put("sent", sent)
        .put("answered", answered)
        .put("answeredPerSecond", answeredPerSecond())
        .put("p50Millis", p50Millis)
        .put("p99Millis", p99Millis)
        .put("maxMillis", maxMillis)
        .put("byStatus", new JsonObject(new TreeMap<String, Object>(byStatus)))
        .put("notAnswered", new JsonObject(new TreeMap<String, Object>(notAnswered)))
        .put("ledgerBacklog", ledgerBacklog);
  }
}
