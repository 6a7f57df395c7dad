package dev.spillway.gateway.auth;

import dev.spillway.core.config.ConsumerConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: a configured consumer (by gateway key or JWT), or nobody in particular when the
 * gateway does not require authentication.
 *
 * @param consumer the consumer, empty for an anonymous caller of an open gateway
 * @param roles roles from a JWT (for admin access); empty for gateway keys
 * @param via how the caller proved it: {@code key}, {@code jwt} or {@code none}
 */
public record Principal(Optional<ConsumerConfig> consumer, Set<String> roles, String via) {
  public static final Principal ANONYMOUS = new Principal(Optional.empty(), Set.of(), "none");

  public Principal {
    roles = Set.copyOf(roles);
  }

  public static Principal of(ConsumerConfig consumer, Set<String> roles, String via) {
    return new Principal(Optional.of(consumer), roles, via);
  }

  public String consumerId() {
    return consumer.map(ConsumerConfig::id).orElse("anonymous");
  }

  public String team() {
    return consumer.map(ConsumerConfig::team).orElse("");
  }

  /** An anonymous caller may use every model; a consumer only those its globs match. */
  public boolean mayUse(String model) {
    return consumer.map(c -> c.mayUse(model)).orElse(true);
  }

  /** Models of {@code all} this caller may use, in the same order. */
  public List<String> visible(List<String> all) {
    return all.stream().filter(this::mayUse).toList();
  }
}
