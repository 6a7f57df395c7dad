package dev.spillway.gateway.pipeline;

import java.util.Objects;

/**
 * The typed name of a policy's own value in a {@link RequestContext}. Keys compare by identity: a policy holds its key
 * in a constant, so no other policy can read or overwrite its value by accident.
 *
 * @param <T> the value's type
 */
public final class AttributeKey<T> {
  private final String name;
  private final Class<T> type;

  private AttributeKey(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type);
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return name;
  }
}
