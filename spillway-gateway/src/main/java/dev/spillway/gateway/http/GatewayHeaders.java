package dev.spillway.gateway.http;

/** Names of the headers the gateway adds to its responses. */
public final class GatewayHeaders {
  /** The gateway's id for the request; also in logs and (later) the usage ledger. */
  public static final String REQUEST_ID = "x-spillway-request-id";

  /** The id of the backend that produced the response. */
  public static final String BACKEND = "x-spillway-backend";

  /** Tokens the request consumed (prompt + completion), when known before the response ends. */
  public static final String TOKENS_CONSUMED = "x-spillway-tokens-consumed";

  /** How many backends were tried for this response. */
  public static final String ATTEMPTS = "x-spillway-attempts";

  private GatewayHeaders() {}
}
