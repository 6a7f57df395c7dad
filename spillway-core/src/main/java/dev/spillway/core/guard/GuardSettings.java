package dev.spillway.core.guard;

import dev.spillway.core.config.PolicySettingsBinder;
import dev.spillway.core.config.SettingsSection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code guard} section: at the root, the named profiles ({@link GuardProfileSpec}), the gateway's default
 * profile and each team's; under a consumer, the profile it uses ({@code none} turns the guard off for it).
 *
 * <pre>
 * guard:
 *   profile: standard        # every caller's, unless its team's or its own says otherwise; absent: no guard
 *   teams: { risk: strict }
 *   profiles: { standard: {...}, strict: {...} }
 *   abuse: { halfLife: 7d, minRequests: 10, alertAt: 0.3, throttleAt: 0.5, throttleTokensPerMinute: 2000, suspendAt: 0.8 }
 * consumers:
 *   - { id: lab, guard: { profile: none } }
 * </pre>
 *
 * Which profile a caller gets: its consumer's, else its team's, else the gateway's; a name that is no profile is a
 * problem at its line.
 */
public record GuardSettings(
    Optional<String> profile,
    Map<String, String> teams,
    Map<String, GuardProfileSpec> profiles,
    dev.spillway.core.guard.abuse.AbuseSettings abuse) {
  /** The word that turns the guard off for a consumer or a team. */
  public static final String NONE = "none";

  public GuardSettings {
    teams = Map.copyOf(teams);
    profiles = Map.copyOf(profiles);
    java.util.Objects.requireNonNull(abuse, "abuse");
  }

  /** No profile, default abuse settings. */
  public GuardSettings(Optional<String> profile, Map<String, String> teams, Map<String, GuardProfileSpec> profiles) {
    this(profile, teams, profiles, dev.spillway.core.guard.abuse.AbuseSettings.DEFAULTS);
  }

  /** The profile named {@code name}, empty for {@link #NONE}. */
  public Optional<GuardProfileSpec> named(String name) {
    return NONE.equals(name) ? Optional.empty() : Optional.ofNullable(profiles.get(name));
  }

  /**
   * The profile of a caller: {@code own} (its consumer's section's choice), else its team's, else the gateway's.
   */
  public Optional<GuardProfileSpec> profileFor(Optional<String> own, String team) {
    String chosen = own.orElseGet(() -> teams.getOrDefault(team, profile.orElse(NONE)));
    return named(chosen);
  }

  /** Binds {@code guard}; registered in {@code META-INF/services}. */
  public static final class Binder implements PolicySettingsBinder {
    @Override
    public String key() {
      return "guard";
    }

    @Override
    public Object bind(SettingsSection s) {
      boolean root = s.path().equals(key());
      if (!root) {
        s.allowKeys("profile");
        return s.clean() ? new GuardSettings(s.text("profile"), Map.of(), Map.of()) : null;
      }
      s.allowKeys("profile", "teams", "profiles", "abuse");
      Map<String, GuardProfileSpec> profiles = new LinkedHashMap<>();
      s.section("profiles").ifPresent(ps -> {
        for (String name : ps.keys()) {
          if (name.equals(NONE)) {
            ps.problem(name, "'none' is the word for no guard; give the profile another name");
            continue;
          }
          ps.section(name).ifPresent(p -> profiles.put(name, GuardProfileSpec.read(name, p)));
        }
      });
      Optional<String> profile = s.text("profile");
      profile.filter(p -> !p.equals(NONE) && !profiles.containsKey(p))
          .ifPresent(p -> s.problem("profile", "'" + p + "' is not one of the profiles " + profiles.keySet()));
      Map<String, String> teams = new LinkedHashMap<>();
      s.section("teams").ifPresent(t -> {
        for (String team : t.keys()) {
          t.text(team).ifPresent(p -> {
            if (!p.equals(NONE) && !profiles.containsKey(p)) {
              t.problem(team, "'" + p + "' is not one of the profiles " + profiles.keySet());
            } else {
              teams.put(team, p);
            }
          });
        }
      });
      dev.spillway.core.guard.abuse.AbuseSettings abuse = s.section("abuse").map(Binder::abuse)
          .orElse(dev.spillway.core.guard.abuse.AbuseSettings.DEFAULTS);
      return s.clean() ? new GuardSettings(profile, teams, profiles, abuse) : null;
    }

    private static dev.spillway.core.guard.abuse.AbuseSettings abuse(SettingsSection a) {
      a.allowKeys("halfLife", "minRequests", "maxUsers", "alertAt", "throttleAt", "throttleTokensPerMinute", "suspendAt");
      var d = dev.spillway.core.guard.abuse.AbuseSettings.DEFAULTS;
      Optional<Double> alert = a.has("alertAt") ? a.decimal("alertAt", 0.0, 1.0) : d.alertAt();
      return new dev.spillway.core.guard.abuse.AbuseSettings(
          a.duration("halfLife").orElse(d.halfLife()),
          a.wholeNumber("minRequests", 1, 1_000_000).orElse((long) d.minRequests()).intValue(),
          a.wholeNumber("maxUsers", 1, 100_000_000).orElse((long) d.maxUsers()).intValue(),
          alert,
          a.decimal("throttleAt", 0.0, 1.0),
          a.wholeNumber("throttleTokensPerMinute", 1, 1_000_000_000).orElse(d.throttleTokensPerMinute()),
          a.decimal("suspendAt", 0.0, 1.0));
    }
  }
}
