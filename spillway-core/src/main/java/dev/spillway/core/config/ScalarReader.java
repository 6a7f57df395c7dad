package dev.spillway.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The toolkit every section binder shares: walks a {@link YamlNode.Mapping} and reads typed scalars
 * (durations, whole numbers, booleans, enum choices, strings), reporting each mistake as a {@link
 * ConfigProblem} with its key path and line. It exists so that every section words the same mistake
 * the same way and all problems of one load land in one list. One instance per load; not thread-safe.
 *
 * <p>Each reader reports its own problem and returns empty, so a bad value never also causes a
 * misleading "is required". Values are echoed in messages only when they were written literally in
 * the file (never when they came from the environment).
 *
 * <p>Numbers and booleans must be real YAML numbers and booleans: {@code "5"} and {@code "true"} are
 * strings and are rejected, so quoting never changes a value's meaning silently. A value that came
 * from {@code ${...}} is text by nature and is read by its content instead. Of YAML 1.1's booleans
 * only {@code true} and {@code false} are accepted ({@code yes}, {@code on} are not).
 *
 * <p>File paths are resolved here, in one place: a relative path is taken relative to the config
 * file's directory when the text came from a file, else it stays relative (to the working
 * directory). Secrets are read by {@link #secret}, which never puts the value in a message.
 */
final class ScalarReader {
  private static final String QUOTED_NUMBER = " without quotes (a YAML number, not a string), got ";

  private final String source;
  private final Function<String, String> env;
  private final List<ConfigProblem> problems;
  private final Optional<Path> baseDirectory;

  /**
   * @param source how messages name the file
   * @param env environment lookup for {@code ${VAR}}; returns null when a variable is unset
   * @param problems where problems are appended; may already hold the YAML reader's
   * @param baseDirectory the config file's directory, against which relative paths resolve; empty
   *     when the text came from no file (relative paths then stay relative to the working directory)
   */
  ScalarReader(
      String source, Function<String, String> env, List<ConfigProblem> problems, Optional<Path> baseDirectory) {
    this.source = source;
    this.env = env;
    this.problems = problems;
    this.baseDirectory = baseDirectory;
  }

  /** A scalar after environment substitution, with where it came from and what YAML type it had. */
  record Value(String text, int line, String path, String raw, boolean fromEnv, YamlNode.Scalar.Type type) {
    /** Whether YAML typed it so, or it came from the environment (where everything is text). */
    boolean writtenAs(YamlNode.Scalar.Type wanted) {
      return fromEnv || type == wanted;
    }

    /** The value quoted for a message, or a placeholder when it came from the environment. */
    String shown() {
      String quoted = fromEnv ? raw : text;
      if (quoted.length() > 80) {
        quoted = quoted.substring(0, 77) + "...";
      }
      return "\"" + quoted + "\"" + (fromEnv ? " (after ${...} substitution; value not shown)" : "");
    }
  }

  /** Problems reported so far in this load; a binder compares counts to tell whether its part was clean. */
  int problemCount() {
    return problems.size();
  }

  void problem(int line, String path, String message) {
    problems.add(new ConfigProblem(source, line, path, message));
  }

  /**
   * An environment variable's value, stripped; empty when unset or blank. For settings whose
   * documented default is a variable a platform sets (AKS workload identity, App Service).
   */
  Optional<String> environment(String name) {
    return Optional.ofNullable(env.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  // ---- tree access ----

  /** A present, non-null scalar after ${...} substitution; problems reported for anything else. */
  Optional<Value> scalar(YamlNode.Mapping m, String key, String parentPath) {
    YamlNode.Entry entry = m.entries().get(key);
    if (entry == null || isNull(entry.value())) {
      return Optional.empty();
    }
    return value(entry.value(), entry.keyLine(), ConfigBinder.child(parentPath, key));
  }

  /** A non-null node as a scalar after ${...} substitution; {@code keyLine} is where to report a non-scalar. */
  Optional<Value> value(YamlNode node, int keyLine, String path) {
    if (!(node instanceof YamlNode.Scalar scalar)) {
      problem(keyLine, path, "must be a single value, got " + node.kind());
      return Optional.empty();
    }
    EnvSubstitution.Result expanded = EnvSubstitution.expand(scalar.text(), env);
    if (expanded.malformed()) {
      problem(scalar.line(), path, "has a malformed ${...} reference; use ${NAME} or ${NAME:-default}");
      return Optional.empty();
    }
    if (!expanded.missing().isEmpty()) {
      for (String name : expanded.missing()) {
        problem(
            scalar.line(),
            path,
            "environment variable " + name + " is not set (set it, or write ${" + name + ":-default})");
      }
      return Optional.empty();
    }
    return Optional.of(
        new Value(expanded.value(), scalar.line(), path, scalar.text(), expanded.substituted(), scalar.type()));
  }

  /** Like {@link #scalar} but reports "is required" when the key is absent or empty. */
  Optional<Value> requiredScalar(YamlNode.Mapping m, String key, String parentPath) {
    if (!present(m, key)) {
      YamlNode.Entry entry = m.entries().get(key);
      problem(entry == null ? m.line() : entry.keyLine(), ConfigBinder.child(parentPath, key), "is required");
      return Optional.empty();
    }
    return scalar(m, key, parentPath);
  }

  /**
   * A list of non-empty single values under {@code key}; empty when absent, null or wrong (problems
   * reported for a wrong one, so callers check {@link #present} before saying "is required"). An
   * empty list is returned as such; callers decide whether that is allowed.
   *
   * @param expected what one item is, for the message when the key holds no list ("model names")
   */
  Optional<List<Value>> list(YamlNode.Mapping m, String key, String parentPath, String expected) {
    YamlNode.Entry entry = m.entries().get(key);
    if (entry == null || isNull(entry.value())) {
      return Optional.empty();
    }
    String path = ConfigBinder.child(parentPath, key);
    if (!(entry.value() instanceof YamlNode.Sequence items)) {
      problem(entry.keyLine(), path, "must be a list of " + expected + ", for example [a, b], got " + entry.value().kind());
      return Optional.empty();
    }
    int before = problemCount();
    List<Value> values = new ArrayList<>();
    for (int i = 0; i < items.items().size(); i++) {
      YamlNode item = items.items().get(i);
      String itemPath = path + "[" + i + "]";
      if (isNull(item)) {
        problem(item.line(), itemPath, "must not be empty");
        continue;
      }
      value(item, item.line(), itemPath).filter(v -> nonBlank(v).isPresent()).ifPresent(values::add);
    }
    return problemCount() == before ? Optional.of(List.copyOf(values)) : Optional.empty();
  }

  /** A top-level section; absent or null means "use the defaults". */
  Optional<YamlNode.Mapping> section(YamlNode.Mapping m, String key) {
    return section(m, key, "");
  }

  /** A nested mapping; absent or null means "use the defaults". */
  Optional<YamlNode.Mapping> section(YamlNode.Mapping m, String key, String parentPath) {
    YamlNode.Entry entry = m.entries().get(key);
    if (entry == null || isNull(entry.value())) {
      return Optional.empty();
    }
    return mapping(entry.value(), ConfigBinder.child(parentPath, key), "a mapping");
  }

  Optional<YamlNode.Mapping> mapping(YamlNode node, String path, String expected) {
    if (node instanceof YamlNode.Mapping m) {
      return Optional.of(m);
    }
    problem(node.line(), path, "must be " + expected + ", got " + node.kind());
    return Optional.empty();
  }

  /** Reports every key of {@code m} not in {@code allowed}, with a "did you mean" when one is close. */
  void checkKeys(YamlNode.Mapping m, String path, List<String> allowed) {
    for (YamlNode.Entry entry : m.entries().values()) {
      if (allowed.contains(entry.key())) {
        continue;
      }
      String message =
          KeySuggestions.nearest(entry.key(), allowed)
              .map(s -> "unknown key; did you mean " + s + "?")
              .orElse("unknown key (expected one of " + String.join(", ", allowed) + ")");
      problem(entry.keyLine(), ConfigBinder.child(path, entry.key()), message);
    }
  }

  static boolean present(YamlNode.Mapping m, String key) {
    YamlNode.Entry entry = m.entries().get(key);
    return entry != null && !isNull(entry.value());
  }

  static boolean isNull(YamlNode node) {
    return node instanceof YamlNode.Scalar s && s.text() == null;
  }

  // ---- typed scalars: each reports its own problem and returns empty ----

  Optional<Boolean> bool(Value v) {
    String text = v.text().strip();
    boolean trueOrFalse = text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
    if (trueOrFalse && v.writtenAs(YamlNode.Scalar.Type.BOOLEAN)) {
      return Optional.of(Boolean.parseBoolean(text));
    }
    problem(
        v.line(),
        v.path(),
        (trueOrFalse ? "must be true or false without quotes (a YAML boolean, not a string)" : "must be true or false")
            + ", got "
            + v.shown());
    return Optional.empty();
  }

  Optional<Duration> positiveDuration(Value v) {
    return convert(v, Durations::parse)
        .filter(d -> positive(v, !d.isZero(), "must be a positive duration like 250ms, 10s, 2m, 1h or 1m30s"));
  }

  Optional<Integer> integer(Value v, int min, int max) {
    String expected =
        max == Integer.MAX_VALUE ? "a whole number >= " + min : "a whole number " + min + ".." + max;
    Optional<Long> n = wholeNumber(v, expected);
    if (n.isPresent() && (n.get() < min || n.get() > max)) {
      problem(v.line(), v.path(), "must be " + expected + ", got " + v.shown());
      return Optional.empty();
    }
    return n.map(Long::intValue);
  }

  /** A whole number written as a YAML number (not {@code "5"}); {@code expected} says what for messages. */
  Optional<Long> wholeNumber(Value v, String expected) {
    String text = v.text().strip();
    if (!text.matches("[+-]?\\d{1,10}")) {
      problem(v.line(), v.path(), "must be " + expected + ", got " + v.shown());
      return Optional.empty();
    }
    if (!v.writtenAs(YamlNode.Scalar.Type.NUMBER)) {
      problem(v.line(), v.path(), "must be " + expected + QUOTED_NUMBER + v.shown());
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }

  /** A decimal written as a YAML number; checks only its form, callers check its range. */
  Optional<Double> decimal(Value v, String expected) {
    String text = v.text().strip();
    if (!text.matches("[+-]?(\\d{1,10}(\\.\\d*)?|\\.\\d+)")) {
      problem(v.line(), v.path(), "must be " + expected + ", got " + v.shown());
      return Optional.empty();
    }
    if (!v.writtenAs(YamlNode.Scalar.Type.NUMBER)) {
      problem(v.line(), v.path(), "must be " + expected + QUOTED_NUMBER + v.shown());
      return Optional.empty();
    }
    return Optional.of(Double.parseDouble(text));
  }

  /** A non-negative decimal amount of money, read exactly (never through a double). */
  Optional<java.math.BigDecimal> amount(Value v) {
    String text = v.text().strip();
    if (!text.matches("\\d{1,12}(\\.\\d{1,12})?")) {
      problem(v.line(), v.path(), "must be a non-negative amount such as 0.0025 or 18000, got " + v.shown());
      return Optional.empty();
    }
    return Optional.of(new java.math.BigDecimal(text));
  }

  /** One of {@code options}, matched case-insensitively on {@code idOf}. */
  <E> Optional<E> choice(Value v, E[] options, Function<E, String> idOf) {
    String wanted = v.text().strip();
    for (E option : options) {
      if (idOf.apply(option).equalsIgnoreCase(wanted)) {
        return Optional.of(option);
      }
    }
    List<String> ids = Arrays.stream(options).map(idOf).toList();
    problem(v.line(), v.path(), "must be one of " + String.join(", ", ids) + ", got " + v.shown());
    return Optional.empty();
  }

  /** The stripped text, or a problem when it is blank. */
  Optional<String> nonBlank(Value v) {
    if (v.text().isBlank()) {
      problem(v.line(), v.path(), "must not be empty");
      return Optional.empty();
    }
    return Optional.of(v.text().strip());
  }

  /**
   * A secret (API key, pepper, client secret). No message ever contains it, nor its length; blank
   * is "is empty".
   *
   * @param minChars the fewest characters accepted; 0 for "anything not blank"
   */
  Optional<String> secret(Value v, int minChars) {
    String text = v.text().strip();
    if (text.isEmpty()) {
      problem(v.line(), v.path(), "is empty");
      return Optional.empty();
    }
    if (text.length() < minChars) {
      problem(
          v.line(),
          v.path(),
          "must be at least " + minChars + " characters (value not shown); generate one with: openssl rand -base64 32");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  /** A file path, resolved as the class comment says; need not exist. */
  Optional<Path> path(Value v) {
    String text = v.text().strip();
    if (text.isEmpty()) {
      problem(v.line(), v.path(), "must not be empty");
      return Optional.empty();
    }
    try {
      return Optional.of(resolve(Path.of(text)));
    } catch (InvalidPathException e) {
      problem(v.line(), v.path(), "must be a file path, got " + v.shown());
      return Optional.empty();
    }
  }

  /** {@code path} against the config file's directory, when there is one; absolute paths unchanged. */
  Path resolve(Path path) {
    return baseDirectory.map(dir -> dir.resolve(path).normalize()).orElse(path);
  }

  /** Like {@link #path}, and the file must exist and be readable now. */
  Optional<Path> readableFile(Value v) {
    Optional<Path> path = path(v);
    if (path.isEmpty()) {
      return path;
    }
    Path file = path.get();
    String shown = v.fromEnv() ? v.shown() : "\"" + file + "\"";
    String wrong =
        !Files.exists(file)
            ? "file not found: "
            : !Files.isRegularFile(file) ? "is not a regular file: " : !Files.isReadable(file) ? "file is not readable: " : null;
    if (wrong != null) {
      problem(v.line(), v.path(), wrong + shown);
      return Optional.empty();
    }
    return path;
  }

  /**
   * An absolute http(s) URL with a host and no user info or fragment; a query is kept. Echoes it
   * only with the query cut off, since a query may carry a credential.
   */
  Optional<URI> httpUrl(Value v) {
    String text = v.text().strip();
    String shown = v.fromEnv() ? v.shown() : "\"" + redactUrl(text) + "\"";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      problem(v.line(), v.path(), "must be an absolute http(s) URL, got " + shown);
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      problem(v.line(), v.path(), "must be an absolute http(s) URL, got " + shown);
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      problem(v.line(), v.path(), "must not contain credentials (user@host)");
      return Optional.empty();
    }
    if (uri.getRawFragment() != null) {
      problem(v.line(), v.path(), "must not have a #fragment, got " + shown);
      return Optional.empty();
    }
    return Optional.of(uri);
  }

  /**
   * A Redis connection string, stripped: {@code redis://} or {@code rediss://} (TLS). Never echoed: it may hold a
   * password.
   */
  Optional<String> redisUrl(Value v) {
    Optional<String> text = nonBlank(v);
    if (text.isEmpty()) {
      return text;
    }
    String lower = text.get().toLowerCase(Locale.ROOT);
    if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
      return text;
    }
    problem(v.line(), v.path(), "must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379");
    return Optional.empty();
  }

  /** A URL for a message: drops anything that may be a credential (user info and the query). */
  static String redactUrl(String text) {
    String shown = text;
    int query = shown.indexOf('?');
    if (query >= 0) {
      shown = shown.substring(0, query) + "?...";
    }
    int at = shown.indexOf('@');
    if (at >= 0) {
      int scheme = shown.indexOf("://");
      shown = (scheme >= 0 && scheme < at ? shown.substring(0, scheme + 3) : "") + "...@" + shown.substring(at + 1);
    }
    return shown;
  }

  /** Applies a parser whose {@link IllegalArgumentException} message says what is expected. */
  <T> Optional<T> convert(Value v, Function<String, T> parser) {
    try {
      return Optional.of(parser.apply(v.text()));
    } catch (IllegalArgumentException e) {
      problem(v.line(), v.path(), e.getMessage() + ", got " + v.shown());
      return Optional.empty();
    }
  }

  /** Builds a record, turning its constructor's {@link IllegalArgumentException} into a problem at {@code path}. */
  <T> Optional<T> build(int line, String path, Supplier<T> constructor) {
    try {
      return Optional.of(constructor.get());
    } catch (IllegalArgumentException e) {
      problem(line, path, e.getMessage());
      return Optional.empty();
    }
  }

  /** Reports {@code message} at {@code v} unless {@code ok}; returns {@code ok}, for {@code filter}. */
  boolean positive(Value v, boolean ok, String message) {
    if (!ok) {
      problem(v.line(), v.path(), message + ", got " + v.shown());
    }
    return ok;
  }
}
