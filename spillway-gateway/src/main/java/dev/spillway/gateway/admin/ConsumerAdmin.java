package dev.spillway.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.auth.keys.IssuedKey;
import dev.spillway.core.auth.keys.KeyRecord;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.Json;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Consumers and their gateway keys through the admin API: the list of consumers with their key
 * ids, issuing a key (shown once in the answer), revoking one. Consumers themselves live in the
 * config. The key store does the file I/O: callers run these methods off the event loop.
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

  private final List<ConsumerConfig> consumers;
  private final Optional<KeyStore> keys;
  private final Clock clock;

  ConsumerAdmin(List<ConsumerConfig> consumers, Optional<KeyStore> keys, Clock clock) {
    this.consumers = List.copyOf(consumers);
    this.keys = keys;
    this.clock = clock;
  }

  Answer list() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("consumers");
    for (ConsumerConfig c : consumers) {
      ObjectNode node = list.addObject();
      node.put("id", c.id());
      node.put("team", c.team());
      node.put("priorityClass", c.priorityClass().id());
      ArrayNode models = node.putArray("models");
      c.models().forEach(models::add);
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
    if (consumers.stream().noneMatch(c -> c.id().equals(consumerId))) {
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
