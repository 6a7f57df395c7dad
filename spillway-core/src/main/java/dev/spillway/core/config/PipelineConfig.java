package dev.spillway.core.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code pipeline:} list: the request pipeline's stages by name, in order, each with the line it came from. The
 * names are checked when the gateway assembles the pipeline (it knows which stages exist), and problems are reported
 * with this source and line. Empty: the documented default pipeline.
 *
 * @param source the config file's name as the user gave it
 * @param stages the stages in order; empty for the default
 */
public record PipelineConfig(String source, List<Stage> stages) {
  /** No {@code pipeline:} key: the default order. */
  public static final PipelineConfig DEFAULT = new PipelineConfig("", List.of());

  /**
   * @param name the stage's name
   * @param line 1-based line of the name in the file, 0 when not from a file
   */
  public record Stage(String name, int line) {
    public Stage {
      Objects.requireNonNull(name, "name");
    }
  }

  public PipelineConfig {
    Objects.requireNonNull(source, "source");
    stages = List.copyOf(stages);
  }

  public boolean isDefault() {
    return stages.isEmpty();
  }
}
