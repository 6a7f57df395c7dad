package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds one entry of {@code auth.jwt:} to {@link JwtIssuerConfig}. Its own class because an issuer
 * is where a lax config becomes a security hole: {@code alg: none} and HMAC algorithms are refused,
 * exactly one key source is allowed, and clock skew is capped so that an expired token stays
 * expired. One instance per load; not thread-safe.
 */
final class JwtIssuerBinder {
  /** The asymmetric JWS algorithms (RFC 7518, RFC 8037), as written in a token's {@code alg}. */
  static final List<String> ASYMMETRIC_ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
  /** More skew than this would keep accepting tokens long after they expired. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** The record keeps its defaults in {@link JwtIssuerConfig#of}; read them there so they cannot drift. */
  private static final JwtIssuerConfig DEFAULTS =
      JwtIssuerConfig.of("defaults", Set.of("defaults"), Optional.of(URI.create("https://defaults")), Optional.empty(), "sub");

  private final ScalarReader read;

  JwtIssuerBinder(ScalarReader read) {
    this.read = read;
  }

  /** The issuer, or empty when anything in it was wrong (problems reported). */
  Optional<JwtIssuerConfig> bind(YamlNode node, String path) {
    YamlNode.Mapping m =
        read.mapping(node, path, "a mapping with issuer, audiences, jwksUrl and consumerClaim").orElse(null);
    if (m == null) {
      return Optional.empty();
    }
    int before = read.problemCount();
    read.checkKeys(m, path, ConfigBinder.JWT_KEYS);
    Optional<String> issuer = read.requiredScalar(m, "issuer", path).flatMap(read::nonBlank);
    Set<String> audiences = audiences(m, path);

    Optional<Value> urlText = read.scalar(m, "jwksUrl", path);
    Optional<Value> fileText = read.scalar(m, "jwksFile", path);
    Optional<URI> jwksUrl = Optional.empty();
    Optional<Path> jwksFile = Optional.empty();
    if (urlText.isPresent() && fileText.isPresent()) {
      Value second = urlText.get().line() > fileText.get().line() ? urlText.get() : fileText.get();
      read.problem(second.line(), second.path(), "set either jwksUrl or jwksFile, not both");
    } else if (urlText.isPresent()) {
      jwksUrl = read.httpUrl(urlText.get());
    } else if (fileText.isPresent()) {
      jwksFile = read.path(fileText.get());
    } else if (!ScalarReader.present(m, "jwksUrl") && !ScalarReader.present(m, "jwksFile")) {
      read.problem(
          m.line(),
          ConfigBinder.child(path, "jwksUrl"),
          "is required (or jwksFile): where the issuer's signing keys are, for example"
              + " https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys");
    }

    Set<String> algorithms = algorithms(m, path);
    Optional<String> consumerClaim = read.requiredScalar(m, "consumerClaim", path).flatMap(read::nonBlank);
    Duration clockSkew =
        read.scalar(m, "clockSkew", path).flatMap(this::clockSkew).orElse(DEFAULTS.clockSkew());
    Optional<Value> minRefreshText = read.scalar(m, "jwksMinRefreshInterval", path);
    Optional<Value> maxAgeText = read.scalar(m, "jwksMaxAge", path);
    Duration minRefresh = minRefreshText.flatMap(read::positiveDuration).orElse(DEFAULTS.jwksMinRefreshInterval());
    Duration maxAge = maxAgeText.flatMap(read::positiveDuration).orElse(DEFAULTS.jwksMaxAge());
    if (read.problemCount() == before && maxAge.compareTo(minRefresh) < 0) {
      Value at = maxAgeText.or(() -> minRefreshText).orElseThrow();
      read.problem(
          at.line(),
          ConfigBinder.child(path, "jwksMaxAge"),
          "must be at least jwksMinRefreshInterval ("
              + Durations.format(minRefresh)
              + "), got "
              + Durations.format(maxAge)
              + (maxAgeText.isPresent() ? "" : " (the default)"));
    }
    if (read.problemCount() != before || issuer.isEmpty() || consumerClaim.isEmpty()) {
      return Optional.empty();
    }
    Optional<URI> url = jwksUrl;
    Optional<Path> file = jwksFile;
    return read.build(
        m.line(),
        path,
        () ->
            new JwtIssuerConfig(
                issuer.get(), audiences, url, file, algorithms, consumerClaim.get(), clockSkew, minRefresh, maxAge));
  }

  /** Required, at least one. */
  private Set<String> audiences(YamlNode.Mapping m, String path) {
    if (!ScalarReader.present(m, "audiences")) {
      YamlNode.Entry entry = m.entries().get("audiences");
      read.problem(
          entry == null ? m.line() : entry.keyLine(),
          ConfigBinder.child(path, "audiences"),
          "is required: the accepted aud values, for example [api://spillway]");
      return Set.of();
    }
    List<Value> values = read.list(m, "audiences", path, "aud values").orElse(null);
    if (values != null && values.isEmpty()) {
      read.problem(
          m.entries().get("audiences").keyLine(), ConfigBinder.child(path, "audiences"), "must list at least one audience");
    }
    Set<String> audiences = new LinkedHashSet<>();
    for (Value v : values == null ? List.<Value>of() : values) {
      audiences.add(v.text().strip());
    }
    return audiences;
  }

  /** Asymmetric algorithms only, matched ignoring case and kept in their registered spelling. */
  private Set<String> algorithms(YamlNode.Mapping m, String path) {
    if (!ScalarReader.present(m, "algorithms")) {
      return JwtIssuerConfig.DEFAULT_ALGORITHMS;
    }
    List<Value> values = read.list(m, "algorithms", path, "JWS algorithms").orElse(null);
    if (values == null) {
      return JwtIssuerConfig.DEFAULT_ALGORITHMS;
    }
    if (values.isEmpty()) {
      read.problem(
          m.entries().get("algorithms").keyLine(),
          ConfigBinder.child(path, "algorithms"),
          "must list at least one algorithm, or be left out for the default ["
              + String.join(", ", new TreeSet<>(JwtIssuerConfig.DEFAULT_ALGORITHMS))
              + "]");
    }
    Set<String> algorithms = new LinkedHashSet<>();
    for (Value v : values) {
      String alg = v.text().strip();
      String upper = alg.toUpperCase(Locale.ROOT);
      if (upper.equals("NONE")) {
        read.problem(v.line(), v.path(), "none is never accepted: it means an unsigned token anyone can write");
      } else if (upper.startsWith("HS")) {
        read.problem(
            v.line(),
            v.path(),
            "HMAC algorithms (HS256, HS384, HS512) are not accepted: the gateway verifies with the issuer's public"
                + " keys only, got "
                + v.shown());
      } else {
        Optional<String> known = ASYMMETRIC_ALGORITHMS.stream().filter(a -> a.equalsIgnoreCase(alg)).findFirst();
        if (known.isPresent()) {
          algorithms.add(known.get());
        } else {
          read.problem(
              v.line(), v.path(), "must be one of " + String.join(", ", ASYMMETRIC_ALGORITHMS) + ", got " + v.shown());
        }
      }
    }
    return algorithms;
  }

  /** Zero allowed; capped at {@link #MAX_CLOCK_SKEW}. */
  private Optional<Duration> clockSkew(Value v) {
    return read.convert(v, Durations::parse)
        .filter(
            d ->
                read.positive(
                    v,
                    d.compareTo(MAX_CLOCK_SKEW) <= 0,
                    "must be at most " + Durations.format(MAX_CLOCK_SKEW) + " (more keeps accepting expired tokens)"));
  }
}
