package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.routing.Pool;
import io.vertx.core.buffer.Buffer;

/**
 * The immutable facts of one client request, parsed once at the edge and kept for every retry.
 *
 * @param requestId the gateway's id for it
 * @param route the matched route
 * @param model the logical model
 * @param pool the model's pool
 * @param body the parsed JSON body
 * @param rawBody the body bytes exactly as received, forwarded unchanged where possible
 * @param stream true when the client asked for a server-sent event stream
 * @param startNanos ticker reading when the request arrived
 * @param estimatedPromptTokens the prompt's tokens as the gateway counts them
 * @param estimatedCostTokens estimated prompt + expected output tokens (what limits reserve)
 * @param affinityKey the session key when the model pins sessions and the request carries one
 * @param principal who is calling
 * @param limits the admission by the caller's limits, settled when the response ends
 */
public record ProxiedRequest(
    String requestId,
    ApiRoute route,
    String model,
    Pool pool,
    ObjectNode body,
    Buffer rawBody,
    boolean stream,
    long startNanos,
    long estimatedPromptTokens,
    long estimatedCostTokens,
    java.util.Optional<String> affinityKey,
    dev.spillway.gateway.auth.Principal principal,
    LimitTicket limits) {}
