package dev.spillway.core.routing;

/** How one attempt against one backend ended. */
public enum AttemptResult {
  /** A 2xx answer that was passed to the client. */
  OK,
  /** A 4xx other than 429: the client's fault, returned as it is and never retried. */
  CLIENT_ERROR,
  /** 429: the backend is at capacity; the gateway tries elsewhere. */
  THROTTLED,
  /** 5xx from the backend. */
  SERVER_ERROR,
  /** The connection could not be made or broke before a response. */
  CONNECT_ERROR,
  /** The backend did not answer in time. */
  TIMEOUT,
  /** The backend answered 2xx with a body that is not what the API promises. */
  INVALID_RESPONSE,
  /** The stream broke after bytes had reached the client. */
  STREAM_INTERRUPTED,
  /** The backend refused the gateway's credential, even after one refresh. */
  UPSTREAM_AUTH_FAILED,
  /** The gateway could not obtain its credential for the backend (token endpoint, secret file). */
  CREDENTIAL_ERROR,
  /** The client went away before the attempt finished. */
  CANCELLED
}
