package dev.spillway.simulator;

import java.util.Locale;

/** What a simulated deployment serves: chat and text completions, or embeddings. */
public enum DeploymentKind {
  /** Answers {@code chat/completions} and {@code completions}. */
  CHAT,
  /** Answers {@code embeddings}. */
  EMBEDDINGS;

  /** The lower-case name used in YAML ({@code chat}, {@code embeddings}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
