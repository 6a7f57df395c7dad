package dev.spillway.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 * @param policySettings pipeline policies' own sections for this consumer (for example {@code maxTokens}), by type
 * @param spillRights whether it may be served by PAYG when the PTU is full ({@code payg}) and its own PAYG budget
 *     ({@code paygBudget}); its team's rights apply as well
 */
public record ConsumerConfig(
    String id,
    String team,
    List<String> models,
    PriorityClass priorityClass,
    List<String> jwtSubjects,
    LimitSettings limits,
    PolicySettings policySettings,
    SpillRights spillRights) {

  public ConsumerConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(priorityClass, "priorityClass");
    models = List.copyOf(models);
    jwtSubjects = List.copyOf(jwtSubjects);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(policySettings, "policySettings");
    Objects.requireNonNull(spillRights, "spillRights");
    if (id.isBlank()) {
      throw new IllegalArgumentException("consumer id cannot be blank");
    }
  }

  /**
   * A builder for consumers made in code. {@code id} and {@code team} must be set; the rest start where a config file
   * leaves them: no models (it may use none), {@link PriorityClass#STANDARD}, no JWT subjects, {@link
   * LimitSettings#NONE}, {@link SpillRights#NONE}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every part of this consumer, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .team(team)
        .models(models)
        .priorityClass(priorityClass)
        .jwtSubjects(jwtSubjects)
        .limits(limits)
        .policySettings(policySettings)
        .spillRights(spillRights);
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

  /**
   * Whether {@code text} matches {@code glob}, where {@code *} is any run of characters and {@code ?} one character
   * (neither crosses a line break, as before; a lone {@code *} matches anything). Matched by walking both strings, going back only to the last
   * {@code *}: at most length × length steps. It was a regular expression with {@code .*} per star, whose
   * backtracking grows exponentially with the stars of a pattern that fails: {@code "************S*"} took seconds
   * to load, a few more stars forever, and the same match runs for every request a consumer makes.
   */
  static boolean globMatches(String glob, String text) {
    if (glob.equals("*")) {
      return true;
    }
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
      return glob.equals(text);
    }
    int g = 0;
    int t = 0;
    int star = -1; // the glob index of the last '*' seen
    int resume = 0; // where in text that star's run ends so far
    while (t < text.length()) {
      char c = text.charAt(t);
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = t;
      } else if (g < glob.length() && (glob.charAt(g) == '?' ? !isLineBreak(c) : glob.charAt(g) == c)) {
        g++;
        t++;
      } else if (star >= 0 && !isLineBreak(text.charAt(resume))) {
        g = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  /** What a regular expression's {@code .} does not match. */
  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /**
   * Collects the parts of a {@link ConsumerConfig}; {@link #build()} checks that the required ones are set and the
   * record that the id is not blank. Each setter rejects null. Not thread-safe; use it once.
   */
  public static final class Builder {
    private String id;
    private String team;
    private List<String> models = List.of();
    private PriorityClass priorityClass = PriorityClass.STANDARD;
    private List<String> jwtSubjects = List.of();
    private LimitSettings limits = LimitSettings.NONE;
    private PolicySettings policySettings = PolicySettings.NONE;
    private SpillRights spillRights = SpillRights.NONE;

    private Builder() {}

    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The business unit charged for its usage. */
    public Builder team(String team) {
      this.team = Objects.requireNonNull(team, "team");
      return this;
    }

    /** Logical model names or globs ({@code *}, {@code ?}) it may use; empty means none. */
    public Builder models(List<String> models) {
      this.models = Objects.requireNonNull(models, "models");
      return this;
    }

    public Builder priorityClass(PriorityClass priorityClass) {
      this.priorityClass = Objects.requireNonNull(priorityClass, "priorityClass");
      return this;
    }

    /** Values of an issuer's {@code consumerClaim} that identify this consumer. */
    public Builder jwtSubjects(List<String> jwtSubjects) {
      this.jwtSubjects = Objects.requireNonNull(jwtSubjects, "jwtSubjects");
      return this;
    }

    public Builder limits(LimitSettings limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Pipeline policies' own settings for this consumer. */
    public Builder policySettings(PolicySettings policySettings) {
      this.policySettings = Objects.requireNonNull(policySettings, "policySettings");
      return this;
    }

    /** Whether it may use PAYG when the PTU is full, and its PAYG budget. */
    public Builder spillRights(SpillRights spillRights) {
      this.spillRights = Objects.requireNonNull(spillRights, "spillRights");
      return this;
    }

    /**
     * @throws IllegalStateException when id or team was not set (the message names each missing one)
     * @throws IllegalArgumentException when the id is blank
     */
    public ConsumerConfig build() {
      List<String> missing = new ArrayList<>();
      if (id == null) {
        missing.add("id");
      }
      if (team == null) {
        missing.add("team");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("ConsumerConfig.builder() needs " + String.join(", ", missing) + " set");
      }
      return new ConsumerConfig(id, team, models, priorityClass, jwtSubjects, limits, policySettings, spillRights);
    }
  }
}
