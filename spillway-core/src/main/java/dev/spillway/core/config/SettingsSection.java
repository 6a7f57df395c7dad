package dev.spillway.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One policy's config section as its {@link PolicySettingsBinder} sees it: typed reads that report problems with the
 * key path and line, the same way the rest of the file is checked. Values may use {@code ${ENV}} substitution.
 * Not thread-safe; lives for one load.
 */
public final class SettingsSection {
  private final ScalarReader read;
  private final YamlNode.Mapping mapping;
  private final String path;
  private final int problemsBefore;

  SettingsSection(ScalarReader read, YamlNode.Mapping mapping, String path) {
    this.read = read;
    this.mapping = mapping;
    this.path = path;
    this.problemsBefore = read.problemCount();
  }

  /** The section's key path, for example {@code consumers[2].maxTokens}. */
  public String path() {
    return path;
  }

  /** Reports every key not in {@code allowed}, with a "did you mean" when one is close. */
  public void allowKeys(String... allowed) {
    read.checkKeys(mapping, path, List.of(allowed));
  }

  /** True when {@code key} is given (not absent, not empty). */
  public boolean has(String key) {
    return ScalarReader.present(mapping, key);
  }

  /** A whole number in {@code [min, max]}; empty when absent or wrong (then a problem is reported). */
  public Optional<Long> wholeNumber(String key, long min, long max) {
    Optional<ScalarReader.Value> v = read.scalar(mapping, key, path);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Optional<Long> n = read.wholeNumber(v.get(), "a whole number");
    if (n.isPresent() && (n.get() < min || n.get() > max)) {
      read.problem(v.get().line(), v.get().path(), "must be between " + min + " and " + max + ", got " + n.get());
      return Optional.empty();
    }
    return n;
  }

  /** One of {@code choices} (case-sensitive); empty when absent or not one of them (then a problem is reported). */
  public Optional<String> oneOf(String key, String... choices) {
    Optional<ScalarReader.Value> v = read.scalar(mapping, key, path);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    for (String c : choices) {
      if (c.equals(v.get().text())) {
        return Optional.of(c);
      }
    }
    read.problem(v.get().line(), v.get().path(), "must be one of " + String.join(", ", choices) + ", got " + v.get().shown());
    return Optional.empty();
  }

  /** true or false (a YAML boolean); empty when absent or wrong (then a problem is reported). */
  public Optional<Boolean> bool(String key) {
    return read.scalar(mapping, key, path).flatMap(read::bool);
  }

  /** A decimal number in {@code [min, max]}; empty when absent or wrong (then a problem is reported). */
  public Optional<Double> decimal(String key, double min, double max) {
    Optional<ScalarReader.Value> v = read.scalar(mapping, key, path);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return read.decimal(v.get(), "a number from " + min + " to " + max).filter(d -> {
      if (d < min || d > max) {
        read.problem(v.get().line(), v.get().path(), "must be a number from " + min + " to " + max + ", got " + v.get().shown());
        return false;
      }
      return true;
    });
  }

  /** A positive duration ({@code 250ms}, {@code 10m}, {@code 1h}); empty when absent or wrong. */
  public Optional<java.time.Duration> duration(String key) {
    return read.scalar(mapping, key, path).flatMap(read::positiveDuration);
  }

  /** A positive size in bytes ({@code 1048576}, {@code 64MiB}); empty when absent or wrong. */
  public Optional<Long> size(String key) {
    return read.scalar(mapping, key, path)
        .flatMap(v -> read.convert(v, Sizes::parse).filter(n -> read.positive(v, n > 0, "must be a positive size like 64MiB")));
  }

  /** A non-blank text; empty when absent or blank (then a problem is reported). */
  public Optional<String> text(String key) {
    return read.scalar(mapping, key, path).flatMap(read::nonBlank);
  }

  /**
   * A {@code redis://} or {@code rediss://} connection string; empty when absent or wrong (then a problem is reported,
   * which never echoes the value: it may hold a password).
   */
  public Optional<String> redisUrl(String key) {
    return read.scalar(mapping, key, path).flatMap(read::redisUrl);
  }

  /** The nested section under {@code key}, read the same way; empty when absent (a non-mapping is reported). */
  public Optional<SettingsSection> section(String key) {
    return read.section(mapping, key, path).map(m -> new SettingsSection(read, m, ConfigBinder.child(path, key)));
  }

  /**
   * A list of non-blank single values under {@code key} ({@code [a, b]}); empty when absent or wrong (then a problem is
   * reported).
   *
   * @param expected what one item is, for the message when the key holds no list
   */
  public Optional<List<String>> texts(String key, String expected) {
    return read.list(mapping, key, path, expected).map(values -> values.stream().map(ScalarReader.Value::text).toList());
  }

  /**
   * The mappings of a list under {@code key} ({@code - {id: a}}), each read as a section with the path {@code
   * key[i]}; empty when absent; a list item that is not a mapping, or a key that holds no list, is reported.
   */
  public List<SettingsSection> sections(String key) {
    YamlNode.Entry entry = mapping.entries().get(key);
    if (entry == null || entry.value() == null || ScalarReader.isNull(entry.value())) {
      return List.of();
    }
    String listPath = ConfigBinder.child(path, key);
    if (!(entry.value() instanceof YamlNode.Sequence items)) {
      read.problem(entry.keyLine(), listPath, "must be a list of mappings, got " + entry.value().kind());
      return List.of();
    }
    List<SettingsSection> out = new ArrayList<>();
    for (int i = 0; i < items.items().size(); i++) {
      String itemPath = listPath + "[" + i + "]";
      read.mapping(items.items().get(i), itemPath, "a mapping").ifPresent(m -> out.add(new SettingsSection(read, m, itemPath)));
    }
    return out;
  }

  /** The keys given in this section, in file order. */
  public java.util.Set<String> keys() {
    return java.util.Collections.unmodifiableSet(mapping.entries().keySet());
  }

  /** Reports {@code message} about {@code key} (at its line), or about the section when the key is absent. */
  public void problem(String key, String message) {
    YamlNode.Entry entry = mapping.entries().get(key);
    read.problem(entry == null ? mapping.line() : entry.keyLine(), entry == null ? path : ConfigBinder.child(path, key), message);
  }

  /** True when nothing was reported about this section so far. */
  public boolean clean() {
    return read.problemCount() == problemsBefore;
  }

  /** Binds every registered policy section present in {@code m} (the root or a consumer). */
  static PolicySettings bindAll(ScalarReader read, YamlNode.Mapping m, String parentPath, List<PolicySettingsBinder> binders) {
    List<Object> bound = new ArrayList<>();
    for (PolicySettingsBinder binder : binders) {
      read.section(m, binder.key(), parentPath)
          .map(section -> binder.bind(new SettingsSection(read, section, ConfigBinder.child(parentPath, binder.key()))))
          .ifPresent(bound::add);
    }
    return PolicySettings.of(bound);
  }

  /** The binders on the class path. */
  static List<PolicySettingsBinder> binders() {
    return java.util.ServiceLoader.load(PolicySettingsBinder.class, PolicySettingsBinder.class.getClassLoader()).stream()
        .map(java.util.ServiceLoader.Provider::get)
        .toList();
  }
}
