package dev.spillway.core.config;

import java.util.OptionalLong;

/**
 * What a backend declares it can take per minute (its deployment's TPM/RPM quota). The router
 * counts what it sent there in the current minute and passes the backend over while a request
 * would surely exceed it, instead of spending a round trip on a certain 429.
 *
 * @param tokensPerMinute tokens per minute, when declared
 * @param requestsPerMinute requests per minute, when declared
 */
public record BackendCapacity(OptionalLong tokensPerMinute, OptionalLong requestsPerMinute) {
  public static final BackendCapacity UNDECLARED = new BackendCapacity(OptionalLong.empty(), OptionalLong.empty());

  public BackendCapacity {
    tokensPerMinute = tokensPerMinute == null ? OptionalLong.empty() : tokensPerMinute;
    requestsPerMinute = requestsPerMinute == null ? OptionalLong.empty() : requestsPerMinute;
    if (tokensPerMinute.orElse(1) < 1 || requestsPerMinute.orElse(1) < 1) {
      throw new IllegalArgumentException("declared capacity must be at least 1");
    }
  }

  public boolean declared() {
    return tokensPerMinute.isPresent() || requestsPerMinute.isPresent();
  }
}
