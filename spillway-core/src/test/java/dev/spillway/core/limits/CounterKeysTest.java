package dev.spillway.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterKeysTest {

  @Test
  void sortsDimensionsByNameSoMapOrderNeverMatters() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("model", "gpt-4o");
    a.put("consumer", "search-app");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("consumer", "search-app");
    b.put("model", "gpt-4o");
    assertThat(CounterKeys.compose(a)).isEqualTo("consumer=search-app|model=gpt-4o").isEqualTo(CounterKeys.compose(b));
  }

  @Test
  void escapesSeparatorsSoAValueCannotForgeAnotherDimension() {
    String forged = CounterKeys.compose(Map.of("header", "x|team=admins"));
    String honest = CounterKeys.compose(Map.of("header", "x", "team", "admins"));
    assertThat(forged).isEqualTo("header=x%7Cteam%3Dadmins").isNotEqualTo(honest);
  }

  @Test
  void escapesTheEscapeHashTagBracesWhitespaceAndControls() {
    assertThat(CounterKeys.compose(Map.of("h", "100%"))).isEqualTo("h=100%25");
    assertThat(CounterKeys.compose(Map.of("h", "{tag}"))).isEqualTo("h=%7Btag%7D");
    assertThat(CounterKeys.compose(Map.of("h", "a b\n"))).isEqualTo("h=a%20b%0A");
    assertThat(CounterKeys.compose(Map.of("h", "é"))).isEqualTo("h=é");
    assertThat(CounterKeys.compose(Map.of("h", "\u2028"))).isEqualTo("h=%E2%80%A8");
  }

  @Test
  void keepsIpAddressesAndModelNamesReadable() {
    assertThat(CounterKeys.compose(Map.of("ip", "2001:db8::1", "model", "gpt-4o-mini_2024.07")))
        .isEqualTo("ip=2001:db8::1|model=gpt-4o-mini_2024.07");
  }

  @Test
  void noDimensionsIsTheGlobalKey() {
    assertThat(CounterKeys.compose(Map.of())).isEqualTo(CounterKeys.GLOBAL);
  }

  @Test
  void rejectsEmptyNames() {
    assertThatThrownBy(() -> CounterKeys.compose(Map.of("", "x"))).isInstanceOf(IllegalArgumentException.class);
  }
}
