package dev.spillway.gateway.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.PriorityClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * A consumer added through the admin API as the stores write it (JSON): what the API lets one set, nothing more.
 * The file store writes a list of these; a database store one per row.
 */
public record StoredConsumer(String id, String team, List<String> models, String priorityClass, List<String> jwtSubjects) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ConsumerConfig toConfig() {
    return ConsumerConfig.builder()
        .id(id)
        .team(team)
        .models(models)
        .priorityClass(PriorityClass.valueOf(priorityClass.toUpperCase(Locale.ROOT)))
        .jwtSubjects(jwtSubjects == null ? List.of() : jwtSubjects)
        .build();
  }

  public static StoredConsumer of(ConsumerConfig c) {
    return new StoredConsumer(c.id(), c.team(), c.models(), c.priorityClass().id(), c.jwtSubjects());
  }

  /** One consumer as a JSON object. */
  public static String toJson(ConsumerConfig c) {
    try {
      return JSON.writeValueAsString(of(c));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One consumer from a JSON object written by {@link #toJson}. */
  public static ConsumerConfig fromJson(String json) {
    try {
      return JSON.readValue(json, StoredConsumer.class).toConfig();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
