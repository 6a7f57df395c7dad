package dev.spillway.gateway.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A complete, buffered upstream answer kept to pass on when no better one comes. */
record UpstreamReply(int status, MultiMap headers, Buffer body, String backendId) {}
