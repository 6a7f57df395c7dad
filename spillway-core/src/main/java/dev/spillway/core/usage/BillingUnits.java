package dev.spillway.core.usage;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request is billed in besides tokens: images generated, seconds of audio transcribed, characters spoken. The
 * media APIs bill per picture, per second or per character, and a gpt-image model may report tokens as well; so a
 * ledger row carries its tokens and, where the operation has one, this unit beside them.
 *
 * @param kind the unit
 * @param amount how many; finite and not negative (seconds may be fractional)
 * @param estimated true when the gateway measured the amount itself (the length of an uploaded WAV file) because the
 *     backend's answer did not say
 */
public record BillingUnits(Kind kind, double amount, boolean estimated) {
  /** A unit and the name it goes by in the ledger and in reports. */
  public enum Kind {
    IMAGES("images"),
    AUDIO_SECONDS("audio_seconds"),
    CHARACTERS("characters");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** {@code images}, {@code audio_seconds} or {@code characters}: the ledger's {@code unit} column. */
    public String wireName() {
      return wireName;
    }

    /** The kind of a ledger value; empty for a name this version does not know. */
    public static Optional<Kind> fromWireName(String name) {
      return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
  }

  public BillingUnits {
    Objects.requireNonNull(kind, "kind");
    if (!Double.isFinite(amount) || amount < 0) {
      throw new IllegalArgumentException("billing units must be finite and not negative, got " + amount);
    }
  }

  /** {@code count} images, as the answer listed them. */
  public static BillingUnits images(long count) {
    return new BillingUnits(Kind.IMAGES, count, false);
  }

  /** Seconds of audio: as the backend reported them, or {@code estimated} by the gateway. */
  public static BillingUnits audioSeconds(double seconds, boolean estimated) {
    return new BillingUnits(Kind.AUDIO_SECONDS, seconds, estimated);
  }

  /**
   * The characters of {@code text} as a text-to-speech service counts them: Unicode code points, so an emoji or a CJK
   * character outside the basic plane is one character, not the two UTF-16 units Java's {@code length()} counts.
   */
  public static BillingUnits characters(String text) {
    return new BillingUnits(Kind.CHARACTERS, text.codePointCount(0, text.length()), false);
  }
}
