package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class RedisClientNoiseTest {
  private final Filter filter = RedisClientNoise.expectedOutagesDropped(null);

  @Test
  void aLostConnectionIsDroppedAndAnythingElseKept() {
    LogRecord reset = new LogRecord(Level.SEVERE, "Unhandled Error");
    reset.setThrown(new IllegalStateException("wrapped", new SocketException("Connection reset")));
    LogRecord bug = new LogRecord(Level.SEVERE, "Unhandled Error");
    bug.setThrown(new IllegalStateException("a bug"));
    LogRecord info = new LogRecord(Level.INFO, "connected");
    info.setThrown(new SocketException("not severe"));

    assertThat(filter.isLoggable(reset)).isFalse();
    assertThat(filter.isLoggable(bug)).isTrue();
    assertThat(filter.isLoggable(info)).isTrue();
  }
}
