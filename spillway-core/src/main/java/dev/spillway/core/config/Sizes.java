package dev.spillway.core.config;

import java.util.Locale;

/**
 * Byte sizes as people write them: {@code 1048576}, {@code 512B}, {@code 64KiB}, {@code 16MiB},
 * {@code 10MB}, {@code 1GiB}. {@code KB}/{@code MB}/{@code GB} are powers of 1000, {@code
 * KiB}/{@code MiB}/{@code GiB} powers of 1024. Units are case-insensitive. Pure and thread-safe.
 */
public final class Sizes {
  private Sizes() {}

  /**
   * Parses a non-negative whole number of bytes, optionally followed by a unit.
   *
   * @throws IllegalArgumentException when the text is not such a size or exceeds {@link
   *     Long#MAX_VALUE}; the message does not repeat the text
   */
  public static long parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must be a size like 1048576, 512KiB or 16MiB");
    }
    String s = text.strip();
    int digitsEnd = 0;
    while (digitsEnd < s.length() && Character.isDigit(s.charAt(digitsEnd))) {
      digitsEnd++;
    }
    if (digitsEnd == 0) {
      throw new IllegalArgumentException("must be a size like 1048576, 512KiB or 16MiB");
    }
    String unit = s.substring(digitsEnd).strip().toLowerCase(Locale.ROOT);
    long multiplier =
        switch (unit) {
          case "", "b" -> 1L;
          case "kb" -> 1_000L;
          case "kib" -> 1L << 10;
          case "mb" -> 1_000_000L;
          case "mib" -> 1L << 20;
          case "gb" -> 1_000_000_000L;
          case "gib" -> 1L << 30;
          default ->
              throw new IllegalArgumentException(
                  "must be a size like 1048576, 512KiB or 16MiB (units B, KB, KiB, MB, MiB, GB, GiB)");
        };
    try {
      return Math.multiplyExact(Long.parseLong(s.substring(0, digitsEnd)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("is too large a size");
    }
  }
}
