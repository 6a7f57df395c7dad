package dev.spillway.gateway.pipeline;

import java.util.Objects;
import java.util.Set;

/**
 * A {@link PolicyFactory} whose name, placement, default order and ordering rules are given once, in its constructor;
 * a stage's factory then only says how to {@link #create} it:
 *
 * <pre>{@code
 * public static final class Factory extends StageFactory {
 *   public Factory() {
 *     super("maxTokens", Placement.REQUEST, 450, Set.of("authenticate", "estimateTokens"), Set.of("limits"));
 *   }
 *
 *   public Policy create(PipelineServices services) { ... }
 * }
 * }</pre>
 */
public abstract class StageFactory implements PolicyFactory {
  private final String name;
  private final Placement placement;
  private final int defaultOrder;
  private final Set<String> requires;
  private final Set<String> precedes;

  protected StageFactory(String name, Placement placement, int defaultOrder, Set<String> requires, Set<String> precedes) {
    this.name = Objects.requireNonNull(name, "name");
    this.placement = Objects.requireNonNull(placement, "placement");
    this.defaultOrder = defaultOrder;
    this.requires = Set.copyOf(requires);
    this.precedes = Set.copyOf(precedes);
  }

  protected StageFactory(String name, Placement placement, int defaultOrder, Set<String> requires) {
    this(name, placement, defaultOrder, requires, Set.of());
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Placement placement() {
    return placement;
  }

  @Override
  public final int defaultOrder() {
    return defaultOrder;
  }

  @Override
  public final Set<String> requires() {
    return requires;
  }

  @Override
  public final Set<String> precedes() {
    return precedes;
  }
}
