package dev.spillway.gateway.reload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.gateway.http.Json;
import java.util.List;

/** What one reload did: put a new generation in force, found nothing to change, or refused an invalid file. */
public sealed interface ReloadOutcome {
  /** The generation in force after the reload. */
  long generation();

  /** The answer of {@code POST /admin/reload}. */
  ObjectNode toJson();

  /** Generation {@code generation} is in force now, with {@code changes}. */
  record Applied(long generation, List<String> changes, List<String> needsRestart) implements ReloadOutcome {
    public Applied {
      changes = List.copyOf(changes);
      needsRestart = List.copyOf(needsRestart);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode json = Json.MAPPER.createObjectNode().put("reloaded", true).put("generation", generation);
      strings(json.putArray("changes"), changes);
      strings(json.putArray("needsRestart"), needsRestart);
      return json;
    }
  }

  /** The file is valid and changes nothing that can change live; generation {@code generation} stays. */
  record Unchanged(long generation, List<String> needsRestart) implements ReloadOutcome {
    public Unchanged {
      needsRestart = List.copyOf(needsRestart);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode json = Json.MAPPER.createObjectNode().put("reloaded", false).put("generation", generation);
      json.putArray("changes");
      strings(json.putArray("needsRestart"), needsRestart);
      return json;
    }
  }

  /** The file is invalid: generation {@code generation} keeps running; {@code problems} say why, in file order. */
  record Invalid(long generation, List<ConfigProblem> problems) implements ReloadOutcome {
    public Invalid {
      problems = List.copyOf(problems);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode json = Json.MAPPER.createObjectNode().put("reloaded", false).put("generation", generation);
      writeProblems(json.putArray("problems"), problems);
      return json;
    }
  }

  /** Each problem as {@code {file, line, key, message}}; {@code line} 0 when it has none. */
  static void writeProblems(ArrayNode out, List<ConfigProblem> problems) {
    for (ConfigProblem p : problems) {
      out.addObject().put("file", p.source()).put("line", p.line()).put("key", p.path()).put("message", p.message());
    }
  }

  private static void strings(ArrayNode out, List<String> values) {
    values.forEach(out::add);
  }
}
