package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupReportTest {

  @Test
  void thePeakIsTheMedianOfTheLastQuarterAndWarmUpEndsAtTheFirstWindowAtNinetyPercentOfIt() {
    double[] windows = {100, 400, 850, 900, 1000, 990, 1010, 1000};
    assertThat(StartupReport.peak(windows)).isEqualTo(1005.0);
    // 90 % of 1005 is 904.5: the 900 of second 4 falls short, the 1000 of second 5 is the first to reach it.
    assertThat(StartupReport.warmUpSecond(windows, 1005.0)).contains(5);
  }

  @Test
  void aCurveThatNeverGetsThereSaysSo() {
    assertThat(StartupReport.warmUpSecond(new double[] {1, 2, 3}, 100)).isEmpty();
  }

  @Test
  void theReportJudgesEachVariantAgainstTheTargets() {
    Map<String, double[]> curves = new LinkedHashMap<>();
    curves.put("no cache", new double[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100, 100, 100, 100, 100, 100, 100,
        100, 100, 100});
    curves.put("start-up cache", new double[] {90, 100, 100, 100, 100, 100, 100, 100});
    String md = StartupReport.markdown(Instant.parse("2026-12-05T00:00:00Z"), 0.5, 0.7, "-Xms32m -XX:+UseSerialGC", 12_000,
        Path.of("does-not-exist.aot"), List.of(new StartupReport.Row("no cache", 1500, 1400, 200),
            new StartupReport.Row("start-up cache", 900, 800, 140)), curves);
    assertThat(md).contains("The gateway: `java -Xms32m -XX:+UseSerialGC -jar spillway.jar serve`")
        .contains("| no cache | 1500 (1500) | 1400 | 200 |")
        .contains("| start-up cache | 900 (900) | 800 | 140 |")
        .contains("- no cache: ready ≤ 1 s — **missed** (1500 ms); idle RSS ≤ 150 MiB — **missed** (200 MiB)")
        .contains("- start-up cache: ready ≤ 1 s — **met** (900 ms); idle RSS ≤ 150 MiB — **met** (140 MiB)")
        .contains("- no cache: 90 % of peak within 15 s — **met** (9 s)")
        .contains("- start-up cache: 90 % of peak within 15 s — **met** (1 s)");
  }
}
