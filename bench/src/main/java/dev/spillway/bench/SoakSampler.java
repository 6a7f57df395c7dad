package dev.spillway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns the load generator's window and the gateway process's state into a {@link SoakSample}, once per period. The
 * gateway's heap comes from {@link JvmHeapProbe} (empty when the JVM cannot be attached to: the figures are then
 * -1 and the report says so); RSS, open files and CPU from {@code /proc}; the ledger backlog from its {@code
 * /metrics}. Not thread-safe: one caller, in period order.
 */
final class SoakSampler implements AutoCloseable {
  private static final double MIB = 1024.0 * 1024.0;
  private static final String BACKLOG_METRIC = "spillway_ledger_backlog_records";

  private final long gatewayPid;
  private final Optional<JvmHeapProbe> heap;
  private final String heapProblem;
  private final URI metrics;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private double lastGatewayCpu;
  private double lastMachineBusy;
  private boolean lastForcedGc;

  SoakSampler(long gatewayPid, String gatewayUrl) {
    this.gatewayPid = gatewayPid;
    this.metrics = URI.create(gatewayUrl + "/metrics");
    Optional<JvmHeapProbe> probe;
    String problem = "";
    try {
      probe = Optional.of(JvmHeapProbe.attach(gatewayPid));
    } catch (IOException | RuntimeException e) {
      probe = Optional.empty();
      problem = e.getMessage();
    }
    this.heap = probe;
    this.heapProblem = problem;
    this.lastGatewayCpu = ProcStats.cpuSeconds(gatewayPid);
    this.lastMachineBusy = machineBusySeconds();
  }

  /** The first period starts now: CPU use is counted from here (the sampler may have been made earlier). */
  void startPeriods() {
    lastGatewayCpu = ProcStats.cpuSeconds(gatewayPid);
    lastMachineBusy = machineBusySeconds();
  }

  /** Why the heap could not be read; empty when it could. */
  String heapProblem() {
    return heapProblem;
  }

  /**
   * Samples the gateway now and closes the generator's period {@code [startSeconds, endSeconds)}; with {@code
   * fullGc}, first has the gateway run a full collection to read its live heap.
   */
  SoakSample sample(double startSeconds, double endSeconds, String phase, SoakTraffic.Window w, boolean fullGc) {
    double seconds = Math.max(1e-9, endSeconds - startSeconds);
    boolean afterForcedGc = lastForcedGc;
    lastForcedGc = fullGc && heap.isPresent();
    JvmHeapProbe.Reading reading = heap.map(h -> h.read(fullGc)).orElse(JvmHeapProbe.Reading.UNKNOWN);
    double gatewayCpu = ProcStats.cpuSeconds(gatewayPid);
    double machineBusy = machineBusySeconds();
    double gatewayCores = gatewayCpu < 0 || lastGatewayCpu < 0 ? -1 : (gatewayCpu - lastGatewayCpu) / seconds;
    double machineCores = machineBusy < 0 || lastMachineBusy < 0 ? -1 : (machineBusy - lastMachineBusy) / seconds;
    lastGatewayCpu = gatewayCpu;
    lastMachineBusy = machineBusy;
    var h = w.latencyMicros;
    boolean any = h.getTotalCount() > 0;
    return new SoakSample(startSeconds, endSeconds, phase,
        mib(reading.heapAfterGcBytes()), mib(reading.liveHeapBytes()), mib(reading.heapCommittedBytes()),
        reading.forcedGcMillis(), afterForcedGc,
        ProcStats.rssKib(gatewayPid).stream().mapToDouble(kib -> kib / 1024.0).findFirst().orElse(-1),
        ProcStats.openFiles(gatewayPid), ProcStats.openSockets(gatewayPid), gatewayCores, machineCores, w.sent, w.answered,
        any ? h.getValueAtPercentile(50) / 1000.0 : 0, any ? h.getValueAtPercentile(99) / 1000.0 : 0,
        any ? h.getMaxValue() / 1000.0 : 0, w.byStatus, w.notAnswered, ledgerBacklog(), h.copy());
  }

  private static double mib(long bytes) {
    return bytes < 0 ? -1 : bytes / MIB;
  }

  private static double machineBusySeconds() {
    double[] perCpu = ProcStats.cpuBusySeconds();
    return perCpu.length == 0 ? -1 : Arrays.stream(perCpu).sum();
  }

  /** The gateway's ledger backlog from its {@code /metrics}: -1 when it does not answer, 0 without the gauge. */
  long ledgerBacklog() {
    try {
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return resp.body().lines()
          .filter(l -> l.startsWith(BACKLOG_METRIC + " ") || l.startsWith(BACKLOG_METRIC + "{"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    heap.ifPresent(JvmHeapProbe::close);
    http.close();
  }
}
