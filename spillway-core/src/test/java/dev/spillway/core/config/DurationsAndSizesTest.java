package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndSizesTest {

  @Test
  void parsesDurationsWithUnitsAndCompoundForms() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1h2m3s4ms")).isEqualTo(Duration.ofMillis(3_723_004));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse(" 0s ")).isEqualTo(Duration.ZERO);
    assertThat(ConfigLoader.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void bareNumberDurationIsRejectedAsAmbiguous() {
    assertThatThrownBy(() -> Durations.parse("10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bare number is ambiguous");
    assertThatThrownBy(() -> Durations.parse("1m30")).hasMessageContaining("needs a unit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "s", "-1s", "10 s", "1.2.3s", ".s", "10S", "10sec", "ten seconds", "1e3ms", "999999999999d"})
  void rejectsDurationGarbage(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsDurationsTheWayTheyAreWritten() {
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.format(Duration.ofDays(1).plusHours(2))).isEqualTo("1d2h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofNanos(1_500))).isEqualTo("0.0000015s");
    assertThat(Durations.parse(Durations.format(Duration.ofMillis(3_723_004)))).isEqualTo(Duration.ofMillis(3_723_004));
  }

  @Test
  void parsesSizesInBinaryAndDecimalUnits() {
    assertThat(Sizes.parse("1048576")).isEqualTo(1_048_576L);
    assertThat(Sizes.parse("512B")).isEqualTo(512L);
    assertThat(Sizes.parse("1KB")).isEqualTo(1_000L);
    assertThat(Sizes.parse("1KiB")).isEqualTo(1_024L);
    assertThat(Sizes.parse("10MB")).isEqualTo(10_000_000L);
    assertThat(Sizes.parse("16MiB")).isEqualTo(16L * 1024 * 1024);
    assertThat(Sizes.parse("2GB")).isEqualTo(2_000_000_000L);
    assertThat(Sizes.parse("1 GiB")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("4mib")).isEqualTo(4L << 20);
    assertThat(ConfigLoader.parseSize("0")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "-1", "1.5MiB", "16 potatoes", "1TB", "99999999999999999999", "9999999999999GiB"})
  void rejectsSizeGarbage(String text) {
    assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesListenAddresses() {
    assertThat(ListenAddress.parse("127.0.0.1:8080")).isEqualTo(new ListenAddress("127.0.0.1", 8080));
    assertThat(ListenAddress.parse("localhost:0")).isEqualTo(new ListenAddress("localhost", 0));
    assertThat(ListenAddress.parse("[::1]:8080")).isEqualTo(new ListenAddress("::1", 8080));
    assertThat(ListenAddress.parse("[::1]:8080").toString()).isEqualTo("[::1]:8080");
    assertThat(ListenAddress.parse("0.0.0.0:65535").port()).isEqualTo(65535);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "8080", ":8080", "host:", "host:-1", "host:65536", "host:http", "::1:8080", "[::1]8080", "[::1", "a b:80"})
  void rejectsBadListenAddresses(String text) {
    assertThatThrownBy(() -> ListenAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void suggestsNearKeysOnly() {
    java.util.List<String> keys = ConfigBinder.BACKEND_KEYS;
    assertThat(KeySuggestions.nearest("deploymnet", keys)).contains("deployment");
    assertThat(KeySuggestions.nearest("APIVERSION", keys)).contains("apiVersion");
    assertThat(KeySuggestions.nearest("prority", keys)).contains("priority");
    assertThat(KeySuggestions.nearest("timeout", keys)).contains("timeouts");
    assertThat(KeySuggestions.nearest("colour", keys)).isEmpty();
  }
}
