package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.cache.AnswerShape;
import dev.spillway.core.cache.CacheKeys;
import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.StreamAssembler;

/**
 * A cacheable request's state between its lookup and its completion: its key, tenant, model and settings, the shape of
 * its API, whether its answer may be stored, and what was read of the answer (the body, or the stream's assembler).
 * Touched only on the request's event loop.
 */
final class CachePending {
  final String key;
  final String tenant;
  final String model;
  final AnswerShape shape;
  final CacheSettings.Resolved settings;
  /** Set for a streamed request: reads the stream as it passes. */
  final StreamAssembler stream;
  boolean store;
  /** A non-streamed answer's body, as the client got it. */
  byte[] answer;
  /** The semantic layer's key, when it applies to the request; its question's vector once embedded. */
  CacheKeys.SemanticKey semantic;
  float[] vector;

  CachePending(String key, String tenant, String model, AnswerShape shape, CacheSettings.Resolved settings, boolean store,
      StreamAssembler stream) {
    this.key = key;
    this.tenant = tenant;
    this.model = model;
    this.shape = shape;
    this.settings = settings;
    this.store = store;
    this.stream = stream;
  }
}
