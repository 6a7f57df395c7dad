package dev.spillway.core.config;

import java.util.Locale;

/** How much a consumer's traffic matters when PTU is scarce (used for PTU admission later). */
public enum PriorityClass {
  CRITICAL,
  STANDARD,
  BATCH;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
