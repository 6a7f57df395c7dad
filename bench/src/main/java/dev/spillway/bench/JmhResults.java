package dev.spillway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Reads the {@link RouterBenchmark} rows of a JMH JSON result file ({@code -rf json}). */
final class JmhResults {
  /** The target for one routing decision. */
  static final double TARGET_NANOS = 1_000;

  private JmhResults() {}

  /**
   * One measured case.
   *
   * @param method the benchmark method ({@code chooseReusingCycle}, {@code chooseWithNewCycle})
   * @param backends pool size
   * @param scenario {@code ALL_AVAILABLE} or {@code PTU_THROTTLED}
   * @param nanosPerOp average time per decision
   * @param errorNanos JMH's 99.9 % confidence half-width (NaN with too few iterations)
   * @param bytesPerOp allocated per decision, when run with {@code -prof gc}
   */
  record DecisionCost(
      String method, int backends, String scenario, double nanosPerOp, double errorNanos, OptionalDouble bytesPerOp) {
    boolean meetsTarget() {
      return nanosPerOp < TARGET_NANOS;
    }
  }

  static List<DecisionCost> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JMH results " + file, e);
    }
    List<DecisionCost> rows = new ArrayList<>();
    for (Object o : new JsonArray(text)) {
      JsonObject row = (JsonObject) o;
      String benchmark = row.getString("benchmark", "");
      if (!benchmark.contains(RouterBenchmark.class.getSimpleName())) {
        continue;
      }
      JsonObject params = row.getJsonObject("params", new JsonObject());
      JsonObject primary = row.getJsonObject("primaryMetric");
      double scale = nanosPerUnit(primary.getString("scoreUnit", "ns/op"));
      rows.add(
          new DecisionCost(
              benchmark.substring(benchmark.lastIndexOf('.') + 1),
              Integer.parseInt(params.getString("backends", "0")),
              params.getString("scenario", ""),
              number(primary, "score") * scale,
              number(primary, "scoreError") * scale,
              allocation(row.getJsonObject("secondaryMetrics", new JsonObject()))));
    }
    return rows;
  }

  private static OptionalDouble allocation(JsonObject secondary) {
    for (String name : secondary.fieldNames()) {
      if (name.endsWith("gc.alloc.rate.norm")) {
        return OptionalDouble.of(number(secondary.getJsonObject(name), "score"));
      }
    }
    return OptionalDouble.empty();
  }

  /** JMH writes "NaN" as a string when it has no error estimate. */
  private static double number(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v == null ? Double.NaN : Double.parseDouble(v.toString());
  }

  private static double nanosPerUnit(String unit) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      default -> throw new IllegalArgumentException("unexpected JMH unit " + unit + "; run RouterBenchmark in avgt mode");
    };
  }
}
