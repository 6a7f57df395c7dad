package dev.spillway.gateway.pipeline;

import java.util.Set;

/**
 * Makes one kind of pipeline stage from the gateway's services, under the name the {@code pipeline:} list uses. Found
 * with {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.spillway.gateway.pipeline.PolicyFactory}),
 * so a new policy is its own file, its config binding, its test and its docs — no edit anywhere else.
 */
public interface PolicyFactory {

  /** Where a stage may stand in the pipeline. */
  enum Placement {
    /** Before the terminal stage: decides about requests. */
    REQUEST,
    /** The stage that produces the response; exactly one, after every {@link #REQUEST} stage. Implements {@link Terminal}. */
    TERMINAL,
    /** After the terminal stage: only observes responses and outcomes ({@code onRequest} is never called). */
    AFTER_TERMINAL
  }

  /** The stage's name in {@code pipeline:}. */
  String name();

  Placement placement();

  /**
   * Where the stage stands in the default pipeline (used when the config has no {@code pipeline:}): stages sort by it;
   * a negative number leaves the stage out of the default.
   */
  int defaultOrder();

  /** Stages that must stand before this one when it is used (for example {@code authenticate} for anything that needs the caller). */
  default Set<String> requires() {
    return Set.of();
  }

  /** Stages that, when used, must stand after this one (a policy that changes what a later one reads). */
  default Set<String> precedes() {
    return Set.of();
  }

  /** A new stage; called once per gateway start. */
  Policy create(PipelineServices services);
}
