package dev.spillway.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseBodiesTest {
  private static ResponseBodies.Scan scan(String json) {
    return ResponseBodies.scan(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void countsTheEntriesOfTheTopLevelDataArrayWhateverTheyHold() {
    ResponseBodies.Scan images = scan("{\"created\":1,\"data\":[{\"b64_json\":\"AAAA\",\"x\":{\"data\":[1,2,3]}},"
        + "{\"url\":\"https://example.test/a.png\"},[],null],\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}");
    assertThat(images.validJson()).isTrue();
    assertThat(images.dataEntries()).hasValue(4);
    assertThat(images.usage().orElseThrow().completionTokens()).isEqualTo(7);
    assertThat(scan("{\"data\":[]}").dataEntries()).hasValue(0);
    assertThat(scan("{\"object\":\"list\"}").dataEntries()).isEmpty();
    assertThat(scan("{\"data\":{\"a\":1}}").dataEntries()).isEmpty();
    assertThat(scan("{\"data\":[1,2").validJson()).isFalse();
  }

  @Test
  void secondsOfAudioFromADurationUsageElseTheTopLevelDuration() {
    assertThat(scan("{\"text\":\"hi\",\"usage\":{\"type\":\"duration\",\"seconds\":3}}").audioSeconds()).hasValue(3.0);
    // Whichever comes first in the object, the usage's seconds are what is billed.
    assertThat(scan("{\"duration\":2.41,\"text\":\"hi\",\"usage\":{\"type\":\"duration\",\"seconds\":3}}")
        .audioSeconds()).hasValue(3.0);
    assertThat(scan("{\"task\":\"translate\",\"duration\":2.41,\"text\":\"hi\"}").audioSeconds()).hasValue(2.41);
    // Token usage (gpt-4o-transcribe) says nothing about seconds.
    ResponseBodies.Scan tokens = scan("{\"text\":\"hi\",\"usage\":{\"type\":\"tokens\",\"input_tokens\":30,"
        + "\"output_tokens\":2,\"total_tokens\":32}}");
    assertThat(tokens.audioSeconds()).isEmpty();
    assertThat(tokens.usage().orElseThrow().promptTokens()).isEqualTo(30);
    assertThat(scan("{\"usage\":{\"type\":\"duration\",\"seconds\":-1}}").audioSeconds()).isEmpty();
    assertThat(scan("{\"usage\":{\"type\":\"duration\",\"seconds\":\"3\"}}").audioSeconds()).isEmpty();
    assertThat(scan("{\"duration\":\"2.41\"}").audioSeconds()).isEmpty();
    assertThat(scan("{\"usage\":{\"seconds\":3}}").audioSeconds()).as("no type").isEmpty();
  }
}
