package dev.spillway.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.PipelineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pipeline's stage list is checked before anything is built, every problem named with its key and line. */
class PipelineAssemblerTest {
  private final PipelineAssembler assembler = new PipelineAssembler();

  private static PipelineConfig fromFile(String... names) {
    List<PipelineConfig.Stage> stages = new java.util.ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      stages.add(new PipelineConfig.Stage(names[i], 20 + i));
    }
    return new PipelineConfig("spillway.yaml", stages);
  }

  private List<ConfigProblem> problems(PipelineConfig config) {
    try {
      assembler.validate(config);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the pipeline to be refused");
  }

  @Test
  void theDefaultOrderAuthenticatesFirstForwardsThenMeters() {
    assertThat(assembler.defaultNames())
        .containsExactly(
            "authenticate", "models", "parse", "fileModel", "objects", "objectLists", "authorizeModel", "guard",
            "estimateTokens", "promptPrefix", "maxTokens", "cache", "limits", "spillRights", "forward", "batchUsage",
            "metering");
    assertThat(assembler.validate(PipelineConfig.DEFAULT)).hasSize(assembler.defaultNames().size());
  }

  @Test
  void anUnknownStageIsNamedWithItsLineAndTheKnownOnes() {
    List<ConfigProblem> p = problems(fromFile("authenticate", "parse", "authorizeModel", "guardrails", "forward"));
    assertThat(p).hasSize(1);
    assertThat(p.get(0).toString()).startsWith("spillway.yaml:23: pipeline[3]: unknown stage 'guardrails'; the stages are ");
    assertThat(p.get(0).message()).contains("authenticate", "forward", "maxTokens", "cache");
  }

  @Test
  void aStageThatNeedsTheCallerMustComeAfterAuthentication() {
    List<ConfigProblem> p = problems(fromFile("parse", "authenticate", "authorizeModel", "forward"));
    assertThat(p).extracting(ConfigProblem::toString)
        .contains("spillway.yaml:20: pipeline[0]: 'parse' needs 'authenticate' before it");
  }

  @Test
  void theTerminalStageComesOnceAndLastOfTheRequestStages() {
    assertThat(problems(fromFile("authenticate", "parse", "authorizeModel")))
        .extracting(ConfigProblem::message).anyMatch(m -> m.startsWith("needs exactly one terminal stage (forward); it has 0"));
    assertThat(problems(fromFile("authenticate", "parse", "authorizeModel", "forward", "limits", "estimateTokens")))
        .extracting(ConfigProblem::toString)
        .contains("spillway.yaml:24: pipeline[4]: 'limits' decides about requests and must come before the terminal stage");
    assertThat(problems(fromFile("authenticate", "metering", "parse", "authorizeModel", "forward")))
        .extracting(ConfigProblem::message)
        .contains("'metering' only observes responses and must come after the terminal stage");
  }

  @Test
  void aStageListedTwiceOrOutOfItsDeclaredOrderIsRefused() {
    assertThat(problems(fromFile("authenticate", "parse", "parse", "authorizeModel", "forward")))
        .extracting(ConfigProblem::message).contains("'parse' is listed twice");
    assertThat(problems(fromFile("authenticate", "parse", "authorizeModel", "estimateTokens", "limits", "maxTokens", "forward")))
        .extracting(ConfigProblem::message).contains("'maxTokens' must come before 'limits'");
  }

  @Test
  void aShortPipelineWithoutOptionalStagesIsValid() {
    assertThat(assembler.validate(fromFile("authenticate", "parse", "authorizeModel", "forward")))
        .extracting(PipelineConfig.Stage::name).containsExactly("authenticate", "parse", "authorizeModel", "forward");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> assembler.validate(fromFile("cache", "parse", "forward", "forward")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems().size()).isGreaterThanOrEqualTo(3));
  }
}
