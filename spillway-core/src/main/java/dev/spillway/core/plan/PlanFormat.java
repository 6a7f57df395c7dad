package dev.spillway.core.plan;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How a plan is written out. */
public enum PlanFormat {
  /** Aligned columns per model, its recommendation below, for a terminal. */
  TABLE(PlanTable::render),
  /** One object with stable field names; amounts are decimal strings. */
  JSON(PlanJson::render);

  private final Function<PlanReport, String> renderer;

  PlanFormat(Function<PlanReport, String> renderer) {
    this.renderer = renderer;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String render(PlanReport report) {
    return renderer.apply(report);
  }

  /** The format named {@code id} (case-insensitive), if any. */
  public static Optional<PlanFormat> parse(String id) {
    return Arrays.stream(values()).filter(f -> f.id().equalsIgnoreCase(id.strip())).findFirst();
  }

  /** {@code table|json}. */
  public static String choices() {
    return Arrays.stream(values()).map(PlanFormat::id).collect(Collectors.joining("|"));
  }
}
