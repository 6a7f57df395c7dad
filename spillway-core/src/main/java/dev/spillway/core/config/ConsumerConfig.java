package dev.spillway.core.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A known caller of the gateway: an application or a team's service, identified by a gateway key
 * or by a JWT claim.
 *
 * @param id unique; appears in the ledger and (opt-in) metrics
 * @param team the business unit charged for its usage
 * @param models logical model names it may use; globs with {@code *} and {@code ?}; empty = none
 * @param priorityClass its class for PTU admission
 * @param jwtSubjects values of an issuer's {@code consumerClaim} that identify this consumer (for
 *     example Entra application ids, or group object ids)
 * @param limits token rates and quotas
 */
public record ConsumerConfig(
    String id,
    String team,
    List<String> models,
    PriorityClass priorityClass,
    List<String> jwtSubjects,
    LimitSettings limits) {

  public ConsumerConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(priorityClass, "priorityClass");
    models = List.copyOf(models);
    jwtSubjects = List.copyOf(jwtSubjects);
    limits = limits == null ? LimitSettings.NONE : limits;
    if (id.isBlank()) {
      throw new IllegalArgumentException("consumer id cannot be blank");
    }
  }

  /** A consumer without limits. */
  public ConsumerConfig(String id, String team, List<String> models, PriorityClass priorityClass, List<String> jwtSubjects) {
    this(id, team, models, priorityClass, jwtSubjects, LimitSettings.NONE);
  }

  /** True when {@code model} matches one of this consumer's model globs. */
  public boolean mayUse(String model) {
    for (String glob : models) {
      if (globMatches(glob, model)) {
        return true;
      }
    }
    return false;
  }

  static boolean globMatches(String glob, String text) {
    if (glob.equals("*")) {
      return true;
    }
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
      return glob.equals(text);
    }
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return text.matches(regex.toString());
  }
}
