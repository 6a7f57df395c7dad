package dev.spillway.core.routing.station;

import java.util.Locale;

/** Why the station sent a request to PAYG instead of letting it wait for a PTU. */
public enum SpillReason {
  /** Its class has no wait budget ({@code batch} by default), or its deadline left none. */
  NO_BUDGET,
  /** The offered load of its class and above is at or over the PTUs' drain rate: waiting cannot pay. */
  OVERLOAD,
  /** Its expected admission time was beyond its budget. */
  OVER_BUDGET,
  /** It waited, and its expected admission moved past its budget (a refusal, a more urgent arrival). */
  WAIT_OUTGREW,
  /** The PTUs are above the mark that keeps a share for critical requests, and it is not critical. */
  RESERVED,
  /** The model's {@code maxPtuWaiters} are all waiting. */
  QUEUE_FULL;

  /** The label in metrics and on the dashboard. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
