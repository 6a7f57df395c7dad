package dev.spillway.gateway.ledger;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps the connection pool's exceptions out of the log. When PostgreSQL stops answering mid-batch, the pool logs "marked
 * as broken" with the driver's exception attached, and that exception's message is the whole batched {@code INSERT}
 * with its values: consumer ids, teams, client IPs, growing with the batch (seen in the soak: one warning of several
 * hundred kilobytes). The pool's own line (SQLSTATE and error code) stays; the attached exception goes. The ledger
 * logs the outage itself, once, as a warning naming its cause's class.
 */
final class PoolLogNoise {
  /** Held strongly: the logging framework keeps loggers weakly, and a collected logger would forget its filter. */
  private static final List<Logger> POOL = List.of(
      Logger.getLogger("com.zaxxer.hikari.pool.ProxyConnection"),
      Logger.getLogger("com.zaxxer.hikari.pool.PoolBase"),
      Logger.getLogger("com.zaxxer.hikari.pool.HikariPool"));

  static {
    for (Logger logger : POOL) {
      logger.setFilter(withoutThrown(logger.getFilter()));
    }
  }

  private PoolLogNoise() {}

  /** Installs the filters (once, on first use). */
  static void quiet() {
    // the static initializer did it
  }

  /** Lets every record through without the exception attached to it (then asks {@code next}, if any). */
  static Filter withoutThrown(Filter next) {
    return record -> {
      record.setThrown(null);
      return next == null || next.isLoggable(record);
    };
  }
}
