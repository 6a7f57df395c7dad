package dev.spillway.gateway.reload;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TeamConfig;
import dev.spillway.core.guard.GuardSettings;
import dev.spillway.core.routing.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a reload of the config file changes, and which of its changes wait for a restart. Pure: a function of the
 * running config and the one just loaded.
 *
 * <p><b>Applied live</b>: {@code models} (backends added, removed or changed), {@code routing}, {@code consumers},
 * {@code teams} (their limits, grants and settings), {@code pipeline} and the root policy settings other than those
 * below.
 *
 * <p><b>Need a restart</b> (reported, and the running value kept in {@link #effective}): {@code server} (listener
 * address, TLS, body and time limits, upstream connections), {@code admin} (its listener and access), {@code auth}
 * (key store, pepper, JWT issuers), {@code limits} (the counter store, Redis, fail-open, default reservation), {@code
 * objects}, {@code ledger}, {@code store}, {@code routing.shared}, {@code costs}, {@code telemetry}, {@code plan}, the root {@code cache:} section (its store
 * and embedder are built once), the guard's {@code abuse:} settings, and the PAYG rights and budgets of consumers and
 * teams ({@code payg}, {@code paygBudget}: the spend book counts from the rules it started with; a consumer that runs
 * keeps its running rights, and a consumer a reload adds has its own rights applied only when the gateway started with
 * some PAYG rule, as the spend book then checks consumers; its team's rules stay as started).
 *
 * @param effective the config the new generation is built from: the loaded one with every restart-only section as it
 *     runs now
 * @param changes what the reload applies, one short line each (no values, so no secret)
 * @param needsRestart the sections that changed in the file but keep running as they are until a restart
 */
public record ConfigDiff(SpillwayConfig effective, List<String> changes, List<String> needsRestart) {
  public ConfigDiff {
    Objects.requireNonNull(effective, "effective");
    changes = List.copyOf(changes);
    needsRestart = List.copyOf(needsRestart);
  }

  /** Nothing that runs would change. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The difference from {@code running} to {@code loaded}. */
  public static ConfigDiff between(SpillwayConfig running, SpillwayConfig loaded) {
    List<String> changes = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    SpillwayConfig.Builder effective = loaded.toBuilder();
    restartOnly("server", running.server(), loaded.server(), restart, () -> effective.server(running.server()));
    restartOnly("admin", running.admin(), loaded.admin(), restart, () -> effective.admin(running.admin()));
    restartOnly("auth", running.auth(), loaded.auth(), restart, () -> effective.auth(running.auth()));
    restartOnly("limits", running.limits(), loaded.limits(), restart, () -> effective.limits(running.limits()));
    restartOnly("objects", running.objects(), loaded.objects(), restart, () -> effective.objects(running.objects()));
    restartOnly("ledger", running.ledger(), loaded.ledger(), restart, () -> effective.ledger(running.ledger()));
    restartOnly("costs", running.costs(), loaded.costs(), restart, () -> effective.costs(running.costs()));
    restartOnly("telemetry", running.telemetry(), loaded.telemetry(), restart,
        () -> effective.telemetry(running.telemetry()));
    restartOnly("plan", running.plan(), loaded.plan(), restart, () -> effective.plan(running.plan()));
    restartOnly("store", running.store(), loaded.store(), restart, () -> effective.store(running.store()));
    restartOnly("routing.shared", running.routing().shared(), loaded.routing().shared(), restart,
        () -> effective.routing(loaded.routing().toBuilder().shared(running.routing().shared()).build()));
    Optional<CacheSettings> runningCache = running.policySettings().get(CacheSettings.class);
    restartOnly("cache", runningCache, loaded.policySettings().get(CacheSettings.class), restart,
        () -> effective.policySettings(loaded.policySettings().with(CacheSettings.class, runningCache)));
    if (!abuse(running).equals(abuse(loaded))) {
      restart.add("guard.abuse");
    }
    if (!spillRights(running).equals(spillRights(loaded))) {
      restart.add("payg rights and budgets of consumers and teams");
      // The spend book counts by the rules it started with: a consumer that runs keeps its running rights.
      effective.consumers(loaded.consumers().stream()
          .map(c -> running.consumer(c.id()).map(r -> c.toBuilder().spillRights(r.spillRights()).build()).orElse(c))
          .toList());
    }

    models(running.models(), loaded.models(), changes);
    SpillwayConfig built = effective.build();
    if (!running.routing().equals(built.routing())) {
      changes.add("routing changed");
    }
    byName("consumers", index(running.consumers(), ConsumerConfig::id), index(built.consumers(), ConsumerConfig::id),
        changes);
    byName("teams", running.teams(), loaded.teams(), changes);
    if (!running.pipeline().equals(loaded.pipeline())) {
      changes.add("pipeline changed");
    }
    if (!running.policySettings().equals(built.policySettings())) {
      changes.add("policy settings changed");
    }
    return new ConfigDiff(built, changes, restart);
  }

  /**
   * What makes {@code effective} unusable although the file is valid on its own: the routed embedder of the running
   * cache (a restart-only section) must still find its model and consumer.
   */
  public List<ConfigProblem> problems(String source) {
    List<ConfigProblem> problems = new ArrayList<>();
    effective.policySettings().get(CacheSettings.class).flatMap(CacheSettings::embedding).ifPresent(e -> {
      if (!effective.models().containsKey(e.model())) {
        problems.add(new ConfigProblem(source, 0, "models",
            "model " + e.model() + " is the cache's embeddings model; removing it needs a restart"));
      }
      e.consumer().filter(c -> effective.consumer(c).isEmpty()).ifPresent(c -> problems.add(new ConfigProblem(
          source, 0, "consumers", "consumer " + c + " makes the cache's embedding calls; removing it needs a restart")));
    });
    return problems;
  }

  private static void restartOnly(String key, Object running, Object loaded, List<String> restart, Runnable keep) {
    if (!running.equals(loaded)) {
      restart.add(key);
      keep.run();
    }
  }

  private static void models(Map<String, ModelConfig> running, Map<String, ModelConfig> loaded, List<String> changes) {
    for (String name : union(running.keySet(), loaded.keySet())) {
      ModelConfig before = running.get(name);
      ModelConfig after = loaded.get(name);
      if (before == null) {
        changes.add("models." + name + " added");
      } else if (after == null) {
        changes.add("models." + name + " removed");
      } else if (!before.equals(after)) {
        if (!sameApartFromBackends(before, after)) {
          changes.add("models." + name + " changed");
        }
        Map<String, BackendConfig> was = index(before.backends(), BackendConfig::id);
        Map<String, BackendConfig> is = index(after.backends(), BackendConfig::id);
        for (String id : union(was.keySet(), is.keySet())) {
          String at = "models." + name + ".backends." + id;
          BackendConfig b = was.get(id);
          BackendConfig a = is.get(id);
          if (b == null) {
            changes.add(at + " added");
          } else if (a == null) {
            changes.add(at + " removed");
          } else if (!Pool.sameDeployment(b, a)) {
            changes.add(at + " now another deployment (its state starts afresh)");
          } else if (!b.equals(a)) {
            changes.add(at + " changed (its state is kept)");
          }
        }
        if (was.equals(is) && !before.backends().equals(after.backends())) {
          changes.add("models." + name + ".backends reordered");
        }
      }
    }
  }

  /** The model's own settings (strategy, PTU waits, affinity, ...) are the same; only its backends may differ. */
  private static boolean sameApartFromBackends(ModelConfig before, ModelConfig after) {
    try {
      return before.toBuilder().backends(after.backends()).build().equals(after);
    } catch (RuntimeException invalidMix) {
      return false;
    }
  }

  private static <T> void byName(String section, Map<String, T> running, Map<String, T> loaded, List<String> changes) {
    for (String name : union(running.keySet(), loaded.keySet())) {
      T before = running.get(name);
      T after = loaded.get(name);
      if (before == null) {
        changes.add(section + "." + name + " added");
      } else if (after == null) {
        changes.add(section + "." + name + " removed");
      } else if (!before.equals(after)) {
        changes.add(section + "." + name + " changed");
      }
    }
  }

  private static Optional<?> abuse(SpillwayConfig config) {
    return config.policySettings().get(GuardSettings.class).map(GuardSettings::abuse);
  }

  /** What the spend book was built from: each consumer's and team's PAYG rights. */
  private static Map<String, Object> spillRights(SpillwayConfig config) {
    Map<String, Object> rights = new LinkedHashMap<>();
    config.consumers().forEach(c -> rights.put("consumer " + c.id(), c.spillRights()));
    config.teams().values().forEach((TeamConfig t) -> rights.put("team " + t.name(), t.spillRights()));
    return rights;
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    Map<String, T> map = new LinkedHashMap<>();
    items.forEach(item -> map.put(key.apply(item), item));
    return map;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }
}
