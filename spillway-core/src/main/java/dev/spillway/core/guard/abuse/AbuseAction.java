package dev.spillway.core.guard.abuse;

/** What the gateway does about an end user whose score passed a mark, in rising order. */
public enum AbuseAction {
  NONE,
  /** A warning log line and a metric. */
  ALERT,
  /** Its requests limited through the gateway's limiter. */
  THROTTLE,
  /** 403 until an administrator lifts it. */
  SUSPEND
}
