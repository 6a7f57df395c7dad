package dev.spillway.core.config;

import java.util.Objects;

/**
 * A team (the business unit a consumer's {@code team} names) under {@code teams:}: rules that apply to every consumer
 * of the team, on top of each consumer's own. A team that is not listed has no rules of its own.
 *
 * @param name the team as consumers name it
 * @param spillRights its {@code payg} and {@code paygBudget}; a budget is shared by all of its consumers
 */
public record TeamConfig(String name, SpillRights spillRights) {
  public TeamConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spillRights, "spillRights");
    if (name.isBlank()) {
      throw new IllegalArgumentException("team name cannot be blank");
    }
  }
}
