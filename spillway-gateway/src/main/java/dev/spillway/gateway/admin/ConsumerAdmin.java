package dev.spillway.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.auth.keys.IssuedKey;
import dev.spillway.core.auth.keys.KeyRecord;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.auth.ConsumerDirectory;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Consumers and their gateway keys through the admin API: the list of consumers with their key
 * ids, adding, replacing and removing consumers (those of the config file stay read-only), issuing
 * a key (shown once in the answer) and revoking one. The stores do file I/O: callers run these
 * methods off the event loop.
 */
final class ConsumerAdmin {
  /** An answer: a JSON body with its status, or an error. */
  record Answer(int status, Optional<ObjectNode> body, Optional<GatewayError> error) {
    static Answer ok(int status, ObjectNode body) {
      return new Answer(status, Optional.of(body), Optional.empty());
    }

    static Answer error(GatewayError e) {
      return new Answer(e.status(), Optional.empty(), Optional.of(e));
    }
  }

  private final ConsumerDirectory consumers;
  private final Optional<KeyStore> keys;
  /** The configured models; a live view, so a config reload's models count. */
  private final java.util.Collection<String> modelNames;
  private final Clock clock;

  ConsumerAdmin(ConsumerDirectory consumers, Optional<KeyStore> keys, java.util.Collection<String> modelNames, Clock clock) {
    this.consumers = consumers;
    this.keys = keys;
    this.modelNames = modelNames;
    this.clock = clock;
  }

  Answer list() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("consumers");
    for (ConsumerConfig c : consumers.all()) {
      ObjectNode node = list.addObject();
      node.put("id", c.id());
      node.put("source", consumers.isConfigured(c.id()) ? "config" : "api");
      node.put("team", c.team());
      node.put("priorityClass", c.priorityClass().id());
      ArrayNode models = node.putArray("models");
      c.models().forEach(models::add);
      ArrayNode subjects = node.putArray("jwtSubjects");
      c.jwtSubjects().forEach(subjects::add);
      ArrayNode keyIds = node.putArray("keys");
      keys.ifPresent(
          store -> {
            for (KeyRecord r : store.list(c.id())) {
              ObjectNode k = keyIds.addObject();
              k.put("keyId", r.keyId());
              k.put("createdAt", r.createdAt().toString());
              if (r.revokedAt().isPresent()) {
                k.put("revokedAt", r.revokedAt().get().toString());
              } else {
                k.putNull("revokedAt");
              }
            }
          });
    }
    return Answer.ok(200, root);
  }

  /** Rotates: the new key and the newest previous one stay valid, older ones are revoked. */
  Answer createKey(String consumerId) {
    if (keys.isEmpty()) {
      return Answer.error(GatewayError.keysNotConfigured());
    }
    if (consumers.find(consumerId).isEmpty()) {
      return Answer.error(GatewayError.unknownConsumer(consumerId));
    }
    IssuedKey issued = keys.get().rotate(consumerId, clock.instant());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("consumer", consumerId);
    body.put("keyId", issued.keyId());
    body.put("key", issued.plaintext());
    ArrayNode revoked = body.putArray("revokedKeyIds");
    issued.revokedKeyIds().forEach(revoked::add);
    return Answer.ok(201, body);
  }

  /**
   * Adds or replaces a consumer from a JSON body {@code {"team","models":[globs],"priorityClass",
   * "jwtSubjects":[...]}}; globs must match a configured model, as in the config file.
   */
  Answer putConsumer(String id, byte[] body) {
    ConsumerConfig consumer;
    try {
      consumer = parse(id, body);
    } catch (IllegalArgumentException e) {
      return Answer.error(GatewayError.invalidParameter(null, e.getMessage()));
    }
    Optional<ConsumerDirectory.Refusal> refusal = consumers.put(consumer);
    if (refusal.isPresent()) {
      return Answer.error(GatewayError.consumerInConfig(id));
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("id", consumer.id());
    answer.put("team", consumer.team());
    answer.put("priorityClass", consumer.priorityClass().id());
    ArrayNode models = answer.putArray("models");
    consumer.models().forEach(models::add);
    return Answer.ok(200, answer);
  }

  /** Removes a consumer added through the API and revokes its keys. */
  Answer deleteConsumer(String id) {
    Optional<ConsumerDirectory.Refusal> refusal = consumers.remove(id);
    if (refusal.isPresent()) {
      return Answer.error(
          refusal.get() == ConsumerDirectory.Refusal.DEFINED_IN_CONFIG
              ? GatewayError.consumerInConfig(id)
              : GatewayError.unknownConsumer(id));
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("id", id);
    ArrayNode revoked = answer.putArray("revokedKeyIds");
    // One write from the store's current content: with a shared store, also keys issued on another replica just now.
    keys.ifPresent(store -> store.revokeAll(id, clock.instant()).forEach(revoked::add));
    answer.put("deleted", true);
    return Answer.ok(200, answer);
  }

  private ConsumerConfig parse(String id, byte[] body) {
    if (!id.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException("A consumer id is 1 to 128 letters, digits, '.', '_' or '-'.");
    }
    com.fasterxml.jackson.databind.JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("The body must be a JSON object.");
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("The body must be a JSON object.");
    }
    String team = json.path("team").asText("");
    if (!json.path("team").isTextual() || team.isBlank()) {
      throw new IllegalArgumentException("team is required (a string).");
    }
    List<String> models = strings(json.path("models"), "models");
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models must list at least one model or glob.");
    }
    for (String glob : models) {
      ConsumerConfig probe = ConsumerConfig.builder().id(id).team(team).models(List.of(glob)).build();
      if (modelNames.stream().noneMatch(probe::mayUse)) {
        throw new IllegalArgumentException("models: `" + glob + "` matches no configured model.");
      }
    }
    dev.spillway.core.config.PriorityClass priority = dev.spillway.core.config.PriorityClass.STANDARD;
    if (json.has("priorityClass")) {
      String p = json.path("priorityClass").asText("");
      try {
        priority = dev.spillway.core.config.PriorityClass.valueOf(p.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("priorityClass must be critical, standard or batch.");
      }
    }
    List<String> subjects = json.has("jwtSubjects") ? strings(json.path("jwtSubjects"), "jwtSubjects") : List.of();
    for (ConsumerConfig other : consumers.all()) {
      if (!other.id().equals(id) && other.jwtSubjects().stream().anyMatch(subjects::contains)) {
        throw new IllegalArgumentException("jwtSubjects: a subject already belongs to another consumer.");
      }
    }
    return ConsumerConfig.builder()
        .id(id)
        .team(team)
        .models(models)
        .priorityClass(priority)
        .jwtSubjects(subjects)
        .build();
  }

  private static List<String> strings(com.fasterxml.jackson.databind.JsonNode node, String field) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(field + " must be a list of strings.");
    }
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new IllegalArgumentException(field + " must be a list of non-empty strings.");
      }
      out.add(item.asText());
    }
    return out;
  }

  Answer revokeKey(String keyId) {
    if (keys.isEmpty()) {
      return Answer.error(GatewayError.keysNotConfigured());
    }
    if (!keys.get().revoke(keyId, clock.instant())) {
      return Answer.error(GatewayError.unknownKey(keyId));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("keyId", keyId);
    body.put("revoked", true);
    return Answer.ok(200, body);
  }
}
