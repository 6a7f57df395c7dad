package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EndUserTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void theBodysUserComesFirstThenItsSafetyIdentifier() throws Exception {
    assertThat(EndUser.fromBody(json("{\"user\":\"u-1\",\"safety_identifier\":\"s-1\"}")).id()).isEqualTo("u-1");
    assertThat(EndUser.fromBody(json("{\"safety_identifier\":\"s-1\"}")).id()).isEqualTo("s-1");
    assertThat(EndUser.fromBody(json("{\"user\":\"  \",\"safety_identifier\":\"s-1\"}")).id()).isEqualTo("s-1");
    assertThat(EndUser.fromBody(json("{\"user\":null,\"safety_identifier\":\"s-1\"}")).id()).isEqualTo("s-1");
  }

  @Test
  void aValueThatIsNotAStringOrNoBodyIsNone() throws Exception {
    assertThat(EndUser.fromBody(json("{\"user\":42}"))).isEqualTo(EndUser.NONE);
    assertThat(EndUser.fromBody(json("{\"user\":{\"id\":\"u\"}}"))).isEqualTo(EndUser.NONE);
    assertThat(EndUser.fromBody(json("{\"model\":\"gpt-4o\"}"))).isEqualTo(EndUser.NONE);
    assertThat(EndUser.fromBody(json("[\"user\"]"))).isEqualTo(EndUser.NONE);
    assertThat(EndUser.fromBody(null)).isEqualTo(EndUser.NONE);
    assertThat(EndUser.of(null)).isEqualTo(EndUser.NONE);
  }

  @Test
  void aLongIdIsCutTo128CharactersNeverInsideASurrogatePair() {
    assertThat(EndUser.of("a".repeat(1_000_000)).id()).isEqualTo("a".repeat(128));
    assertThat(EndUser.of("b".repeat(128)).id()).hasSize(128);
    String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 characters
    String id = EndUser.of("x".repeat(127) + emoji + "tail").id();
    assertThat(id).isEqualTo("x".repeat(127));
    assertThat(EndUser.of("x".repeat(126) + emoji + "tail").id()).isEqualTo("x".repeat(126) + emoji);
  }

  @Test
  void controlAndInvisibleFormattingCharactersAndHalfPairsAreRemoved() {
    assertThat(EndUser.of("ali\u0000ce\r\n\t\u001b[31m").id()).isEqualTo("alice[31m");
    assertThat(EndUser.of("bob\u202Egnp.exe\u200B").id()).isEqualTo("bobgnp.exe");
    assertThat(EndUser.of("carol\u0085\u009b").id()).isEqualTo("carol");
    assertThat(EndUser.of("dave\uD800").id()).isEqualTo("dave");
    assertThat(EndUser.of("  eve  ").id()).isEqualTo("eve");
    assertThat(EndUser.of("\u0000\u202E  ")).isEqualTo(EndUser.NONE);
    assertThat(EndUser.of("名前 ünïcödé").id()).isEqualTo("名前 ünïcödé");
  }

  @Test
  void whatIsRemovedDoesNotCountAgainstTheLength() {
    assertThat(EndUser.of("\u0000".repeat(500) + "z".repeat(200)).id()).isEqualTo("z".repeat(128));
    assertThat(EndUser.of(" ".repeat(500) + "y").id()).isEqualTo("y");
  }

  @Test
  void itsTextSaysOnlyWhetherThereIsOne() {
    assertThat(EndUser.of("jane.doe@example.com").toString()).doesNotContain("jane").isEqualTo("EndUser[hidden]");
    assertThat(EndUser.NONE.toString()).isEqualTo("EndUser[none]");
  }

  @Test
  void anUnboundedIdCannotBeMadeDirectly() {
    assertThatThrownBy(() -> new EndUser("a\nb")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("a\nb");
    assertThatThrownBy(() -> new EndUser("c".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    assertThat(new EndUser("ok").or(EndUser.of("other")).id()).isEqualTo("ok");
    assertThat(EndUser.NONE.or(EndUser.of("other")).id()).isEqualTo("other");
  }
}
