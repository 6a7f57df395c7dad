package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * A finished soak and its verdicts: the first and the last {@link SoakSettings#comparedSpan()} of the load compared
 * for the gateway's live heap (after the full collections the sampler requested), RSS, open files (each the median
 * of the span's readings) and p99 latency (over every answer finished in the span, except in the periods right after
 * a requested collection, whose pause is the harness's doing), each within {@value #FLAT_PERCENT} % of the first
 * span's figure; and the ledger's rows for the soak's consumer equal to the requests answered.
 *
 * @param peak the closed-loop measurement the offered rate was derived from
 * @param offeredPerSecond the open-loop arrival rate
 * @param samples every period, in order
 * @param sent requests the soak sent
 * @param answered of those, how many got a status line
 * @param notAnswered failures before a status line, by exception
 * @param ledgerRowsByStatus the soak consumer's ledger rows received since the soak started, read after the gateway
 *     stopped, by status; empty if unread
 * @param ledgerProblem why the ledger could not be read; empty when it was
 * @param gatewayExit the gateway's exit code after SIGTERM; empty when it had to be killed
 * @param databaseOutage when the PostgreSQL blackhole started and ended, seconds after the load started
 * @param redisOutage the same for the Redis refusal
 * @param notes what the reader should know (heap unreadable, machine load, ...)
 */
record SoakRun(
    SoakSettings settings,
    Instant startedAt,
    double loadAverageAtStart,
    double loadAverageAtEnd,
    PeakResult peak,
    double offeredPerSecond,
    List<SoakSample> samples,
    long sent,
    long answered,
    Map<String, Long> notAnswered,
    Map<Integer, Long> ledgerRowsByStatus,
    String ledgerProblem,
    OptionalInt gatewayExit,
    double[] databaseOutage,
    double[] redisOutage,
    List<String> notes) {

  static final double FLAT_PERCENT = 10;
  /** The phase of the last sample: from the end of the load until the last answer finished (in no span). */
  static final String DRAIN = "drain";

  /** One comparison, first span against last span, or the ledger check ({@code first} = answered, {@code last} = rows). */
  record Verdict(String name, String unit, double first, double last, boolean pass, String detail) {
    double changePercent() {
      return first == 0 ? (last == 0 ? 0 : Double.POSITIVE_INFINITY) : (last / first - 1) * 100;
    }

    String shown() {
      return pass ? "PASS" : "FAIL";
    }
  }

  long ledgerRows() {
    return ledgerRowsByStatus.values().stream().mapToLong(Long::longValue).sum();
  }

  List<SoakSample> firstSpan() {
    double span = settings.comparedSpan().toMillis() / 1000.0;
    return samples.stream().filter(s -> s.endSeconds() <= span + 1e-6).toList();
  }

  List<SoakSample> lastSpan() {
    double from = (settings.duration().toMillis() - settings.comparedSpan().toMillis()) / 1000.0;
    return samples.stream().filter(s -> s.startSeconds() >= from - 1e-6 && !s.phase().equals(DRAIN)).toList();
  }

  List<Verdict> verdicts() {
    List<Verdict> v = new ArrayList<>();
    v.add(flat("heap after full GC", "MiB", SoakSample::liveHeapMiB));
    v.add(flat("RSS", "MiB", SoakSample::rssMiB));
    v.add(flat("open files", "", s -> s.openFiles()));
    double p99First = p99Millis(undisturbed(firstSpan()));
    double p99Last = p99Millis(undisturbed(lastSpan()));
    v.add(judge("p99 latency", "ms", p99First, p99Last,
        "over every answer finished in the span, but in the periods right after a requested full GC"));
    // Every answered request has its row, and no row is more than a request sent. A row is committed before its answer
    // ends (so that a kill cannot lose an answered request), so a request whose status line the client never saw can
    // still have one: the gateway served it and its tokens were spent. Those are at most the requests not answered.
    long rows = ledgerRows();
    boolean booked = ledgerProblem.isEmpty() && rows >= answered && rows <= sent;
    String detail = !ledgerProblem.isEmpty() ? ledgerProblem
        : rows == answered ? "equal"
        : rows > answered && rows <= sent ? f("%,d more rows than answered: served requests whose status line the client"
            + " never saw (of %,d not answered)", rows - answered, sent - answered)
        : "differ by " + (rows - answered);
    v.add(new Verdict("ledger rows = answered requests", "", answered, rows, booked, detail));
    return v;
  }

  boolean allPass() {
    return verdicts().stream().allMatch(Verdict::pass);
  }

  private Verdict flat(String name, String unit, ToDoubleFunction<SoakSample> figure) {
    return judge(name, unit, median(firstSpan(), figure), median(lastSpan(), figure), "median of the span's readings");
  }

  /** The periods whose answers no requested collection paused. */
  static List<SoakSample> undisturbed(List<SoakSample> span) {
    return span.stream().filter(s -> !s.afterForcedGc()).toList();
  }

  private static Verdict judge(String name, String unit, double first, double last, String how) {
    if (first < 0 || last < 0) {
      return new Verdict(name, unit, first, last, false, "not measured");
    }
    boolean pass = first > 0 ? Math.abs(last / first - 1) * 100 <= FLAT_PERCENT : last == 0;
    return new Verdict(name, unit, first, last, pass, how);
  }

  /** Median of the samples' known figures (-1 is unknown, or not read in that sample); -1 when there is none. */
  static double median(List<SoakSample> span, ToDoubleFunction<SoakSample> figure) {
    double[] values = span.stream().mapToDouble(figure).filter(x -> x >= 0).sorted().toArray();
    if (values.length == 0) {
      return -1;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** The 99th percentile of every latency recorded in {@code span}; -1 when there is none. */
  static double p99Millis(List<SoakSample> span) {
    Histogram all = new Histogram(SoakTraffic.HIGHEST_MICROS, 3);
    span.forEach(s -> all.add(s.latency()));
    return all.getTotalCount() == 0 ? -1 : all.getValueAtPercentile(99) / 1000.0;
  }

  /**
   * The p99 of each consecutive compared-span-long stretch of the load (periods after a requested collection left out,
   * as in the verdict), with the phases it overlaps: how far the p99 of two spans differs when nothing changed between
   * them is the noise the first-against-last verdict must be read against.
   */
  List<SpanP99> p99BySpan() {
    double span = settings.comparedSpan().toMillis() / 1000.0;
    double end = settings.duration().toMillis() / 1000.0;
    List<SpanP99> spans = new ArrayList<>();
    for (double from = 0; from + span <= end + 1e-6; from += span) {
      double a = from;
      List<SoakSample> in = samples.stream()
          .filter(s -> !s.phase().equals(DRAIN) && s.startSeconds() >= a - 1e-6 && s.endSeconds() <= a + span + 1e-6)
          .toList();
      boolean steady = in.stream().allMatch(s -> s.phase().equals("steady"));
      spans.add(new SpanP99(a, a + span, p99Millis(undisturbed(in)), steady));
    }
    return spans;
  }

  /** The p99 of one stretch of the load; {@code steady} when no outage overlaps it. */
  record SpanP99(double fromSeconds, double toSeconds, double p99Millis, boolean steady) {}

  /** The largest relative difference between the p99s of two steady spans, in percent; -1 with fewer than two. */
  double steadySpreadPercent() {
    double[] p = p99BySpan().stream().filter(SpanP99::steady).mapToDouble(SpanP99::p99Millis).filter(x -> x > 0)
        .toArray();
    if (p.length < 2) {
      return -1;
    }
    double min = java.util.Arrays.stream(p).min().orElseThrow();
    double max = java.util.Arrays.stream(p).max().orElseThrow();
    return (max / min - 1) * 100;
  }

  /** Finished answers of the whole run by kind. */
  Map<String, Long> answersByKind() {
    Map<String, Long> all = new TreeMap<>();
    samples.forEach(s -> s.byStatus().forEach((k, n) -> all.merge(k, n, Long::sum)));
    return all;
  }
}
