package dev.spillway.core.guard.abuse;

import java.util.Objects;

/**
 * An end user as the gateway knows it: the id its caller sent (the request's {@code user} field or a configured header)
 * within the consumer that sent it. Two consumers' users of the same id are different people.
 */
public record EndUser(String consumer, String id) {
  public EndUser {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String toString() {
    return consumer + "/" + id;
  }
}
