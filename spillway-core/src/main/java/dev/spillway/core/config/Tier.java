package dev.spillway.core.config;

/** How a backend deployment is paid for: provisioned throughput first, pay-as-you-go as overflow. */
public enum Tier {
  /** Provisioned throughput: paid for whether used or not, so it is filled first. */
  PTU,
  /** Pay-as-you-go: elastic but throttled by TPM/RPM quotas; takes what PTU cannot. */
  PAYG;

  private final String id = name().toLowerCase(java.util.Locale.ROOT);

  /** The lower-case name used in config, headers and tables ({@code ptu}, {@code payg}). */
  public String id() {
    return id;
  }
}
