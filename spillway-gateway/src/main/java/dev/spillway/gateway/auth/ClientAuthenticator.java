package dev.spillway.gateway.auth;

import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.auth.jwt.JwtAuthenticator;
import dev.spillway.gateway.auth.jwt.JwtOutcome;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a request's credential into a {@link Principal}: a gateway key ({@code sk-spw-...}) is
 * checked against the key store, a JWT against the configured issuers and then mapped to the
 * consumer whose {@code jwtSubjects} hold one of its claim values.
 *
 * <p>The gateway's own calls to itself ({@link InternalCaller}) are made as the consumer configured for them.
 *
 * <p>When authentication is not required (no consumers configured), a valid gateway key still
 * identifies its consumer and anything else is an anonymous caller. Error bodies never say whether
 * a key exists, whom it belongs to, or which models other consumers may use.
 */
public final class ClientAuthenticator {
  private final boolean required;
  private final ConsumerDirectory consumers;
  private final Optional<KeyStore> keys;
  private final Optional<JwtAuthenticator> jwt;
  private final Optional<InternalCaller> internal;

  public ClientAuthenticator(
      SpillwayConfig config, ConsumerDirectory consumers, Optional<KeyStore> keys, Optional<JwtAuthenticator> jwt) {
    this(config, consumers, keys, jwt, Optional.empty());
  }

  /** As the other constructor, also accepting the gateway's own calls ({@link InternalCaller}). */
  public ClientAuthenticator(SpillwayConfig config, ConsumerDirectory consumers, Optional<KeyStore> keys,
      Optional<JwtAuthenticator> jwt, Optional<InternalCaller> internal) {
    this.required = config.auth().required();
    this.consumers = consumers;
    this.keys = keys;
    this.jwt = jwt;
    this.internal = internal;
  }

  public Future<AuthOutcome> authenticate(MultiMap headers) {
    Optional<String> presented = Credentials.presented(headers);
    if (presented.isEmpty()) {
      return Future.succeededFuture(required ? denied(GatewayError.missingCredentials()) : allowed(Principal.ANONYMOUS));
    }
    String credential = presented.get();
    if (internal.isPresent() && internal.get().matches(credential)) {
      Optional<ConsumerConfig> self = internal.get().consumerId().flatMap(this::consumer);
      if (self.isPresent()) {
        return Future.succeededFuture(allowed(Principal.of(self.get(), Set.of(), "internal")));
      }
      return Future.succeededFuture(required ? denied(GatewayError.unknownConsumer()) : allowed(Principal.ANONYMOUS));
    }
    if (jwt.isPresent() && JwtAuthenticator.looksLikeJwt(credential)) {
      return jwt.get().authenticate(credential).map(this::fromJwt);
    }
    Optional<ConsumerConfig> byKey = keys.flatMap(k -> k.authenticate(credential)).flatMap(this::consumer);
    if (byKey.isPresent()) {
      return Future.succeededFuture(allowed(Principal.of(byKey.get(), Set.of(), "key")));
    }
    return Future.succeededFuture(required ? denied(GatewayError.invalidCredentials()) : allowed(Principal.ANONYMOUS));
  }

  private AuthOutcome fromJwt(JwtOutcome outcome) {
    return switch (outcome) {
      case JwtOutcome.Valid valid -> {
        Optional<ConsumerConfig> consumer = consumers.byJwtSubject(valid.consumerClaimValues());
        if (consumer.isPresent()) {
          yield allowed(Principal.of(consumer.get(), valid.roles(), "jwt"));
        }
        yield required ? denied(GatewayError.unknownConsumer()) : allowed(new Principal(Optional.empty(), valid.roles(), "jwt"));
      }
      case JwtOutcome.Invalid invalid -> required ? denied(GatewayError.invalidCredentials()) : allowed(Principal.ANONYMOUS);
    };
  }

  private Optional<ConsumerConfig> consumer(String id) {
    return consumers.find(id);
  }

  private static AuthOutcome allowed(Principal p) {
    return new AuthOutcome.Allowed(p);
  }

  private static AuthOutcome denied(GatewayError e) {
    return new AuthOutcome.Denied(e);
  }
}
