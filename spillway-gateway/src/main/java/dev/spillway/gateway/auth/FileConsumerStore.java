package dev.spillway.gateway.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.config.ConsumerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded {@link ConsumerStore}: a JSON file ({@code consumers.json} beside the key store), or memory only.
 * The file is read once, when the store opens; this process is its only writer (a temp file, then an atomic move).
 * Replicas that must share consumers use a database store instead. The version counts this instance's writes.
 * Thread-safe (synchronized).
 */
public final class FileConsumerStore implements ConsumerStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> file;
  private Map<String, ConsumerConfig> consumers; // guarded by this
  private long version; // guarded by this

  /**
   * @param file where the consumers are kept; empty = in memory only
   * @throws IllegalStateException when the file exists but cannot be read
   */
  public FileConsumerStore(Optional<Path> file) {
    this.file = file;
    this.consumers = load(file);
  }

  @Override
  public synchronized long version() {
    return version;
  }

  @Override
  public synchronized Snapshot read() {
    return new Snapshot(version, List.copyOf(consumers.values()));
  }

  @Override
  public synchronized Snapshot put(ConsumerConfig consumer) {
    Map<String, ConsumerConfig> next = new LinkedHashMap<>(consumers);
    next.put(consumer.id(), consumer);
    return write(next);
  }

  @Override
  public synchronized Optional<Snapshot> remove(String id) {
    if (!consumers.containsKey(id)) {
      return Optional.empty();
    }
    Map<String, ConsumerConfig> next = new LinkedHashMap<>(consumers);
    next.remove(id);
    return Optional.of(write(next));
  }

  private Snapshot write(Map<String, ConsumerConfig> next) {
    persist(next);
    consumers = next;
    version++;
    return read();
  }

  private static Map<String, ConsumerConfig> load(Optional<Path> file) {
    Map<String, ConsumerConfig> byId = new LinkedHashMap<>();
    if (file.isEmpty() || !Files.exists(file.get())) {
      return byId;
    }
    try {
      List<StoredConsumer> stored = JSON.readValue(file.get().toFile(), new TypeReference<List<StoredConsumer>>() {});
      for (StoredConsumer s : stored) {
        byId.put(s.id(), s.toConfig());
      }
      return byId;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the consumer file " + file.get() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private void persist(Map<String, ConsumerConfig> next) {
    if (file.isEmpty()) {
      return;
    }
    Path target = file.get();
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".consumers", ".tmp");
      List<StoredConsumer> stored = next.values().stream().map(StoredConsumer::of).toList();
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

  @Override
  public String toString() {
    return "FileConsumerStore[" + file.map(Path::toString).orElse("memory") + "]";
  }
}
