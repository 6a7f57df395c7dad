package dev.spillway.core.routing.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BreakerConfig;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BreakerLogTest {
  private final Logger logger = Logger.getLogger("dev.spillway.breaker");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @AfterEach
  void detach() {
    logger.removeHandler(capture);
  }

  @Test
  void anOpeningIsOneWarningLineNamingTheBackend() {
    logger.addHandler(capture);
    CircuitBreaker breaker = new CircuitBreaker(BreakerConfig.DEFAULTS, BreakerLog.of("ptu-eastus"));
    for (int i = 0; i < 5; i++) {
      breaker.onFailure(1_000, OptionalLong.empty());
    }

    assertThat(records).hasSize(1);
    assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.WARNING);
    assertThat(records.get(0).getMessage()).isEqualTo("breaker backend=ptu-eastus from=closed to=open");
    assertThat(records.get(0).getThrown()).isNull();
  }
}
