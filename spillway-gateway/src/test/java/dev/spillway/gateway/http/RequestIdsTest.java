package dev.spillway.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void idsAre32LowerCaseHexDigitsAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.next(() -> 1_795_600_000_000L);
      assertThat(id).matches("[0-9a-f]{32}");
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void idsStartWithTheMillisecondSoTheySortByTime() {
    String earlier = RequestIds.next(() -> 1_795_600_000_000L);
    String later = RequestIds.next(() -> 1_795_600_000_001L);
    assertThat(earlier).startsWith(String.format("%012x", 1_795_600_000_000L));
    assertThat(later).startsWith(String.format("%012x", 1_795_600_000_001L));
    assertThat(later).isGreaterThan(earlier);
  }
}
