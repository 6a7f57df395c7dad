package dev.spillway.gateway.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.PriorityClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every consumer the gateway knows: those of the config file (read-only) and those added through
 * the admin API, which are kept in a JSON file beside the key store so they survive a restart.
 *
 * <p>Reads are lock-free (an immutable snapshot in a volatile field); writes are serialized and
 * persisted (temp file, then an atomic move) before they become visible. The gateway is the only
 * writer of the file. Writes do file I/O: call them off the event loop.
 */
public final class ConsumerDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a change was refused. */
  public enum Refusal {
    DEFINED_IN_CONFIG,
    NOT_FOUND
  }

  private volatile List<ConsumerConfig> configured;
  private final Optional<Path> file;
  private volatile Map<String, ConsumerConfig> added;

  /**
   * @param configured the consumers of the config file
   * @param file where consumers added through the admin API are kept; empty = in memory only
   */
  public ConsumerDirectory(List<ConsumerConfig> configured, Optional<Path> file) {
    this.configured = List.copyOf(configured);
    this.file = file;
    this.added = Map.copyOf(load(file));
  }

  /** The config file's consumers after a config reload; those added through the admin API stay. */
  public synchronized void reconfigure(List<ConsumerConfig> configured) {
    this.configured = List.copyOf(configured);
  }

  public List<ConsumerConfig> all() {
    List<ConsumerConfig> all = new ArrayList<>(configured);
    all.addAll(added.values());
    return all;
  }

  public boolean isConfigured(String id) {
    return configured.stream().anyMatch(c -> c.id().equals(id));
  }

  public Optional<ConsumerConfig> find(String id) {
    for (ConsumerConfig c : configured) {
      if (c.id().equals(id)) {
        return Optional.of(c);
      }
    }
    return Optional.ofNullable(added.get(id));
  }

  /** The consumer one of whose {@code jwtSubjects} is among {@code claimValues}. */
  public Optional<ConsumerConfig> byJwtSubject(List<String> claimValues) {
    for (ConsumerConfig c : all()) {
      for (String value : claimValues) {
        if (c.jwtSubjects().contains(value)) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  /** Adds or replaces a consumer added through the admin API. */
  public synchronized Optional<Refusal> put(ConsumerConfig consumer) {
    if (isConfigured(consumer.id())) {
      return Optional.of(Refusal.DEFINED_IN_CONFIG);
    }
    Map<String, ConsumerConfig> next = new LinkedHashMap<>(added);
    next.put(consumer.id(), consumer);
    persist(next);
    added = Map.copyOf(next);
    return Optional.empty();
  }

  public synchronized Optional<Refusal> remove(String id) {
    if (isConfigured(id)) {
      return Optional.of(Refusal.DEFINED_IN_CONFIG);
    }
    if (!added.containsKey(id)) {
      return Optional.of(Refusal.NOT_FOUND);
    }
    Map<String, ConsumerConfig> next = new LinkedHashMap<>(added);
    next.remove(id);
    persist(next);
    added = Map.copyOf(next);
    return Optional.empty();
  }

  /** The file's shape: one object per consumer. */
  record Stored(String id, String team, List<String> models, String priorityClass, List<String> jwtSubjects) {
    ConsumerConfig toConfig() {
      return ConsumerConfig.builder()
          .id(id)
          .team(team)
          .models(models)
          .priorityClass(PriorityClass.valueOf(priorityClass.toUpperCase(java.util.Locale.ROOT)))
          .jwtSubjects(jwtSubjects == null ? List.of() : jwtSubjects)
          .build();
    }

    static Stored of(ConsumerConfig c) {
      return new Stored(c.id(), c.team(), c.models(), c.priorityClass().id(), c.jwtSubjects());
    }
  }

  private static Map<String, ConsumerConfig> load(Optional<Path> file) {
    Map<String, ConsumerConfig> byId = new LinkedHashMap<>();
    if (file.isEmpty() || !Files.exists(file.get())) {
      return byId;
    }
    try {
      List<Stored> stored = JSON.readValue(file.get().toFile(), new TypeReference<List<Stored>>() {});
      for (Stored s : stored) {
        byId.put(s.id(), s.toConfig());
      }
      return byId;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the consumer file " + file.get() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private void persist(Map<String, ConsumerConfig> consumers) {
    if (file.isEmpty()) {
      return;
    }
    Path target = file.get();
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".consumers", ".tmp");
      List<Stored> stored = consumers.values().stream().map(Stored::of).toList();
      JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), stored);
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the consumer file " + target, e);
    }
  }
}
