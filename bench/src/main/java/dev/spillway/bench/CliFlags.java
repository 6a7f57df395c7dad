package dev.spillway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The {@code --flag value} loop and error wording shared by the benchmarks' settings parsers. */
final class CliFlags {
  private final String[] args;
  private final String passThroughPrefix;
  private int i = -1;
  private String flag;
  private String value;

  /**
   * @param passThroughPrefix an {@link IllegalArgumentException} whose message starts with this is
   *     rethrown as is by {@link #wrap}; any other is prefixed with the flag
   */
  CliFlags(String[] args, String passThroughPrefix) {
    this.args = args;
    this.passThroughPrefix = passThroughPrefix;
  }

  /**
   * Moves to the next pair; false at the end.
   *
   * @throws IllegalArgumentException {@code help} for {@code --help} or {@code -h}; naming the
   *     flag when its value is missing
   */
  boolean next() {
    if (++i >= args.length) {
      return false;
    }
    flag = args[i];
    if (flag.equals("--help") || flag.equals("-h")) {
      throw new IllegalArgumentException("help");
    }
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    value = args[++i];
    return true;
  }

  String flag() {
    return flag;
  }

  String value() {
    return value;
  }

  IllegalArgumentException unknown() {
    return new IllegalArgumentException("unknown flag " + flag);
  }

  /** What to throw for a failure reading the current flag's value. */
  IllegalArgumentException wrap(IllegalArgumentException e) {
    if (e instanceof NumberFormatException) {
      return new IllegalArgumentException(flag + " must be a number, was '" + value + "'");
    }
    if (e.getMessage() != null && e.getMessage().startsWith(passThroughPrefix)) {
      return e;
    }
    return new IllegalArgumentException(flag + " " + e.getMessage());
  }

  /** The non-blank, stripped entries of a comma-separated list, each read by {@code fromId}. */
  static <T> List<T> ids(String list, Function<String, T> fromId) {
    List<T> out = new ArrayList<>();
    for (String id : list.split(",")) {
      if (!id.isBlank()) {
        out.add(fromId.apply(id.strip()));
      }
    }
    return out;
  }
}
