package dev.spillway.gateway.events;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

final class ListenerFailures {
  private static final Logger LOG = System.getLogger("spillway.listener");

  private ListenerFailures() {}

  static void report(GatewayListener listener, RuntimeException e) {
    LOG.log(Level.WARNING, "listener " + listener.getClass().getName() + " failed: " + e);
  }
}
