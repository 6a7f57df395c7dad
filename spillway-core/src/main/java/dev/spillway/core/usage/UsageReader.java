package dev.spillway.core.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads a {@code usage} object from a parser's tokens, with the rules of {@link UsageParser#fromJson} and without
 * building a tree of it: every non-streamed answer carries one, and the tree (a map per object, a node per number) was
 * a good part of what a small request allocated. Also reads what a transcription bills in: {@code usage.seconds} when
 * {@code usage.type} is {@code duration}.
 *
 * <p>Pure; one call per object, no state kept between calls.
 */
public final class UsageReader {
  /** What the object said: its token usage (empty when {@link UsageParser#fromJson} would be) and billed seconds. */
  public record Read(Optional<TokenUsage> usage, OptionalDouble durationSeconds) {}

  // A count's value when it is not a whole, non-negative number that fits a long.
  private static final long MISSING = -3;
  private static final long JSON_NULL = -2;
  private static final long INVALID = -1;

  private UsageReader() {}

  /**
   * Reads the object the parser stands at the start of ({@link JsonToken#START_OBJECT}), leaving it at the object's
   * end.
   */
  public static Read read(JsonParser p) throws IOException {
    Counts outer = new Counts();
    Counts inner = null; // a "usage" field inside the object: UsageParser reads that one instead
    boolean innerInvalid = false;
    boolean durationType = false;
    OptionalDouble seconds = OptionalDouble.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "usage" -> {
          if (value == JsonToken.START_OBJECT) {
            inner = new Counts();
            innerInvalid = false;
            readCounts(p, inner);
          } else {
            inner = null;
            innerInvalid = true;
            p.skipChildren();
          }
        }
        case "type" -> {
          durationType = value == JsonToken.VALUE_STRING && "duration".equals(p.getText());
          p.skipChildren();
        }
        case "seconds" -> {
          seconds = OptionalDouble.empty();
          if (value.isNumeric()) {
            double s = p.getDoubleValue();
            seconds = Double.isFinite(s) && s >= 0 ? OptionalDouble.of(s) : OptionalDouble.empty();
          } else {
            p.skipChildren();
          }
        }
        default -> outer.field(p, name, value);
      }
    }
    Optional<TokenUsage> usage = innerInvalid ? Optional.empty() : (inner != null ? inner : outer).usage();
    return new Read(usage, durationType ? seconds : OptionalDouble.empty());
  }

  private static void readCounts(JsonParser p, Counts counts) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      counts.field(p, name, p.nextToken());
    }
  }

  /** The counts an object names; each {@link #MISSING}, {@link #JSON_NULL}, {@link #INVALID} or its value. */
  private static final class Counts {
    long prompt = MISSING;
    long completion = MISSING;
    long input = MISSING;
    long output = MISSING;
    long total = MISSING;
    long promptCached = MISSING;
    long inputCached = MISSING;
    long realtimeInputCached = MISSING;
    long completionReasoning = MISSING;
    long outputReasoning = MISSING;

    void field(JsonParser p, String name, JsonToken value) throws IOException {
      switch (name) {
        case "prompt_tokens" -> prompt = count(p, value);
        case "completion_tokens" -> completion = count(p, value);
        case "input_tokens" -> input = count(p, value);
        case "output_tokens" -> output = count(p, value);
        case "total_tokens" -> total = count(p, value);
        case "prompt_tokens_details" -> promptCached = detail(p, value, "cached_tokens");
        case "input_tokens_details" -> inputCached = detail(p, value, "cached_tokens");
        case "input_token_details" -> realtimeInputCached = detail(p, value, "cached_tokens");
        case "completion_tokens_details" -> completionReasoning = detail(p, value, "reasoning_tokens");
        case "output_tokens_details" -> outputReasoning = detail(p, value, "reasoning_tokens");
        default -> p.skipChildren();
      }
    }

    Optional<TokenUsage> usage() {
      boolean inputOutput = absent(prompt) && absent(completion) && (!absent(input) || !absent(output));
      long promptValue = inputOutput ? input : prompt;
      long completionValue = inputOutput ? output : completion;
      if (absent(promptValue) && absent(completionValue) && absent(total)) {
        return Optional.empty();
      }
      long promptTokens = value(promptValue);
      long completionTokens = value(completionValue);
      long totalTokens = absent(total) ? safeAdd(promptTokens, completionTokens) : value(total);
      long cached = inputOutput ? inputCached : promptCached;
      if (cached == MISSING && inputOutput) {
        cached = realtimeInputCached;
      }
      long cachedTokens = value(cached);
      long reasoningTokens = value(inputOutput ? outputReasoning : completionReasoning);
      if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
        return Optional.empty();
      }
      return Optional.of(new TokenUsage(promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens));
    }
  }

  /** The {@code field} of a details object; {@link #MISSING} when the value is not an object or lacks it. */
  private static long detail(JsonParser p, JsonToken value, String field) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return MISSING;
    }
    long found = MISSING;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      boolean wanted = field.equals(p.currentName());
      JsonToken v = p.nextToken();
      if (wanted) {
        found = count(p, v);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  /** A count as {@link UsageParser} reads it: a whole number that fits a long (also written as 3.0), else invalid. */
  private static long count(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return JSON_NULL;
    }
    if (value == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = p.getNumberType();
      if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
        long n = p.getLongValue();
        return n < 0 ? INVALID : n;
      }
      return INVALID;
    }
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d == Math.rint(d) && d >= Long.MIN_VALUE && d <= Long.MAX_VALUE) {
        long n = (long) d;
        return n < 0 ? INVALID : n;
      }
      return INVALID;
    }
    p.skipChildren();
    return INVALID;
  }

  private static boolean absent(long count) {
    return count == MISSING || count == JSON_NULL;
  }

  /** 0 when absent; negative (rejected by the caller) when invalid. */
  private static long value(long count) {
    return absent(count) ? 0 : count;
  }

  private static long safeAdd(long a, long b) {
    if (a < 0 || b < 0) {
      return -1;
    }
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }
}
