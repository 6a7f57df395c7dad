package dev.spillway.gateway.guard;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.guard.GuardProfileSpec;
import dev.spillway.core.guard.GuardSettings;
import dev.spillway.core.guard.TextCheck;
import dev.spillway.core.guard.injection.InjectionSettings;
import dev.spillway.core.guard.injection.PromptInjectionDetector;
import dev.spillway.core.guard.lists.BlocklistCheck;
import dev.spillway.core.guard.lists.PatternListCheck;
import dev.spillway.core.guard.lists.SizeLimitCheck;
import dev.spillway.core.guard.output.OutputGuard;
import dev.spillway.core.guard.pii.PiiCheck;
import dev.spillway.core.guard.pii.PiiEntity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guard profiles of a config, built once into running checks: per profile the checks of a request's texts and the
 * output guard of its answers; and which profile each caller gets (its consumer's choice, else its team's, else the
 * gateway's). A consumer naming a profile that does not exist, or a blocklist file that cannot be read, stops the
 * gateway at start. Immutable; thread-safe.
 */
public final class GuardProfiles {
  /** One profile, built: its name, the checks of the input, the output guard. */
  public record Built(String name, List<TextCheck> input, OutputGuard output,
      Optional<ContentSafetyClient> contentSafety) {}

  public static final GuardProfiles NONE = new GuardProfiles(
      new GuardSettings(Optional.empty(), Map.of(), Map.of()), Map.of());

  private final GuardSettings settings;
  private final Map<String, Built> profiles;

  private GuardProfiles(GuardSettings settings, Map<String, Built> profiles) {
    this.settings = settings;
    this.profiles = Map.copyOf(profiles);
  }

  /** The profiles {@code config} defines, without a profile that calls Content Safety. */
  public static GuardProfiles of(SpillwayConfig config) {
    return of(null, config);
  }

  /**
   * The profiles {@code config} defines; {@link #NONE} without a guard section. A profile with {@code contentSafety}
   * gets a client on {@code vertx}.
   */
  public static GuardProfiles of(io.vertx.core.Vertx vertx, SpillwayConfig config) {
    Optional<GuardSettings> root = config.policySettings().get(GuardSettings.class);
    if (root.isEmpty()) {
      for (ConsumerConfig c : config.consumers()) {
        c.policySettings().get(GuardSettings.class).flatMap(GuardSettings::profile)
            .filter(p -> !p.equals(GuardSettings.NONE))
            .ifPresent(p -> {
              throw new IllegalArgumentException("consumers[" + c.id() + "].guard.profile: '" + p
                  + "' is not a profile: the config has no guard.profiles");
            });
      }
      return NONE;
    }
    GuardSettings s = root.get();
    for (ConsumerConfig c : config.consumers()) {
      c.policySettings().get(GuardSettings.class).flatMap(GuardSettings::profile)
          .filter(p -> !p.equals(GuardSettings.NONE) && !s.profiles().containsKey(p))
          .ifPresent(p -> {
            throw new IllegalArgumentException("consumers[" + c.id() + "].guard.profile: '" + p
                + "' is not one of the profiles " + s.profiles().keySet());
          });
    }
    Map<String, Built> built = new LinkedHashMap<>();
    io.vertx.core.http.HttpClient[] client = {null};
    s.profiles().forEach((name, spec) -> {
      Optional<ContentSafetyClient> safety = spec.contentSafety().map(cs -> {
        if (vertx == null) {
          throw new IllegalArgumentException("guard.profiles." + name + ".contentSafety needs the gateway's HTTP client");
        }
        if (client[0] == null) {
          client[0] = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true)
              .setTcpNoDelay(true));
        }
        return new ContentSafetyClient(client[0], cs);
      });
      built.put(name, build(spec, safety));
    });
    return new GuardProfiles(s, built);
  }

  /** The profile of a caller of {@code consumer} (empty when anonymous) in {@code team}; empty when it has none. */
  public Optional<Built> forCaller(Optional<ConsumerConfig> consumer, String team) {
    if (profiles.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> own = consumer.flatMap(c -> c.policySettings().get(GuardSettings.class)).flatMap(GuardSettings::profile);
    return settings.profileFor(own, team).map(spec -> profiles.get(spec.name()));
  }

  /** True when some profile exists (a caller may be guarded). */
  public boolean any() {
    return !profiles.isEmpty();
  }

  private static Built build(GuardProfileSpec spec, Optional<ContentSafetyClient> safety) {
    OutputGuard output = OutputGuard.of(checks(spec.name() + ".output", spec.output()))
        .withWindow(spec.windowChars(), Math.min(OutputGuard.DEFAULT_OVERLAP_CHARS, spec.windowChars() / 4));
    return new Built(spec.name(), checks(spec.name() + ".input", spec.input()), output, safety);
  }

  /** The checks of one direction, cheapest first: size, patterns, blocklists, PII, injection. */
  static List<TextCheck> checks(String where, GuardProfileSpec.ChecksSpec c) {
    List<TextCheck> out = new ArrayList<>();
    c.maxChars().ifPresent(max -> out.add(SizeLimitCheck.builder().maxChars((int) Math.min(Integer.MAX_VALUE, max)).build()));
    if (!c.deny().isEmpty() || !c.allow().isEmpty()) {
      PatternListCheck.Builder p = PatternListCheck.builder().name(where + ".patterns");
      c.deny().forEach(d -> p.deny(d.id(), d.pattern(), d.action()));
      c.allow().forEach(a -> p.allow(a.id(), a.pattern()));
      out.add(p.build());
    }
    for (GuardProfileSpec.BlocklistSpec b : c.blocklists()) {
      List<String> terms = new ArrayList<>(b.terms());
      b.file().ifPresent(f -> terms.addAll(termsOf(where, b.name(), Path.of(f))));
      out.add(BlocklistCheck.builder().name(b.name()).terms(terms).action(b.action()).severity(b.severity()).build());
    }
    if (!c.pii().isEmpty()) {
      PiiCheck.Builder p = PiiCheck.builder().phoneRegion(c.piiRegion());
      c.pii().forEach((entity, action) -> p.entity(PiiEntity.parse(entity), action));
      out.add(p.build());
    }
    c.injection().ifPresent(action ->
        out.add(new PromptInjectionDetector(new InjectionSettings(InjectionSettings.DEFAULT_THRESHOLD, action))));
    return List.copyOf(out);
  }

  /** A blocklist file's terms: one a line, blank lines and lines starting with {@code #} skipped. */
  private static List<String> termsOf(String where, String list, Path file) {
    try {
      return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(where + ".blocklists[" + list + "]: cannot read its file " + file + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

}
