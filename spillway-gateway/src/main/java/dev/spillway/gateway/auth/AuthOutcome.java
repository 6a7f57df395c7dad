package dev.spillway.gateway.auth;

import dev.spillway.core.error.GatewayError;

/** The verdict on a request's credential: a principal, or the error to answer with. */
public sealed interface AuthOutcome {
  record Allowed(Principal principal) implements AuthOutcome {}

  record Denied(GatewayError error) implements AuthOutcome {}
}
