package dev.spillway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UsageReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static UsageReader.Read read(String usageObject) throws IOException {
    try (JsonParser p = JSON.getFactory().createParser(usageObject)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      UsageReader.Read read = UsageReader.read(p);
      assertThat(p.currentToken()).as("left at the object's end").isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isNull();
      return read;
    }
  }

  @Test
  void readsAChatAnswersUsage() throws Exception {
    assertThat(read("""
        {"prompt_tokens":14,"completion_tokens":16,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":2},
         "completion_tokens_details":{"reasoning_tokens":3}}""").usage())
        .contains(new TokenUsage(14, 16, 30, 2, 3));
  }

  @Test
  void readsTheSecondsOfATranscriptionBilledByDuration() throws Exception {
    assertThat(read("{\"type\":\"duration\",\"seconds\":12.5}").durationSeconds()).isEqualTo(OptionalDouble.of(12.5));
    assertThat(read("{\"type\":\"tokens\",\"seconds\":12.5,\"input_tokens\":3}").durationSeconds()).isEmpty();
    assertThat(read("{\"type\":\"duration\",\"seconds\":-1}").durationSeconds()).isEmpty();
  }

  /**
   * The reader replaces a tree read with {@link UsageParser#fromJson} on every answer: on any object, valid or odd
   * (null counts, strings, fractions, negatives, huge numbers, details that are not objects, a nested {@code usage},
   * duplicate keys), both say the same.
   */
  @Test
  void agreesWithTheTreeParserOnManyShapes() throws Exception {
    Random random = new Random(19);
    for (int i = 0; i < 20_000; i++) {
      String object = randomObject(random, 0);
      assertThat(read(object).usage()).as(object).isEqualTo(UsageParser.fromJson(JSON.readTree(object)));
    }
  }

  private static final String[] COUNTS = {
    "prompt_tokens", "completion_tokens", "input_tokens", "output_tokens", "total_tokens", "seconds", "type", "other"};
  private static final String[] DETAILS = {
    "prompt_tokens_details", "input_tokens_details", "input_token_details", "completion_tokens_details",
    "output_tokens_details"};
  private static final String[] DETAIL_FIELDS = {"cached_tokens", "reasoning_tokens", "audio_tokens"};
  private static final String[] VALUES = {
    "0", "7", "120", "-3", "2.0", "2.5", "1e2", "null", "\"5\"", "true", "[1]", "{\"a\":1}", "99999999999999999999",
    "9223372036854775807", "-9223372036854775808", "1e400", "3.0e0"};

  private static String randomObject(Random random, int depth) {
    List<String> fields = new ArrayList<>();
    int n = random.nextInt(7);
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(10);
      if (pick < 6) {
        fields.add(quote(COUNTS[random.nextInt(COUNTS.length)]) + ":" + VALUES[random.nextInt(VALUES.length)]);
      } else if (pick < 9) {
        fields.add(quote(DETAILS[random.nextInt(DETAILS.length)]) + ":" + randomDetails(random));
      } else if (depth == 0) {
        fields.add("\"usage\":" + (random.nextBoolean() ? randomObject(random, 1) : VALUES[random.nextInt(VALUES.length)]));
      }
    }
    return "{" + String.join(",", fields) + "}";
  }

  private static String randomDetails(Random random) {
    if (random.nextInt(5) == 0) {
      return VALUES[random.nextInt(VALUES.length)];
    }
    List<String> fields = new ArrayList<>();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      fields.add(quote(DETAIL_FIELDS[random.nextInt(DETAIL_FIELDS.length)]) + ":" + VALUES[random.nextInt(VALUES.length)]);
    }
    return "{" + String.join(",", fields) + "}";
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
