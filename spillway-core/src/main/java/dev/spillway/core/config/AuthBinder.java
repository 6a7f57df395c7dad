package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the {@code auth:} section to {@link AuthConfig}, with each {@code auth.jwt} issuer bound by
 * {@link JwtIssuerBinder}, and checks that the access settings add up: a gateway that requires
 * authentication must have someone who can authenticate, gateway keys need the pepper, and JWT
 * subjects need an issuer. Its own class because those rules span {@code consumers} and {@code
 * auth}. The pepper is a secret and never appears in a message. One instance per load; not
 * thread-safe.
 */
final class AuthBinder {
  /** Fewest characters of {@code auth.keyPepper} and {@code admin.apiKey}. */
  static final int MIN_SECRET_CHARS = 16;

  private final ScalarReader read;
  private final JwtIssuerBinder issuerBinder;
  private int issuersDeclared;

  AuthBinder(ScalarReader read) {
    this.read = read;
    this.issuerBinder = new JwtIssuerBinder(read);
  }

  /** How many entries the file lists under {@code auth.jwt}, bound cleanly or not; valid after {@link #bind}. */
  int issuersDeclared() {
    return issuersDeclared;
  }

  /**
   * The auth settings; a bad part is reported and replaced by its default.
   *
   * @param consumers the binder that has already bound {@code consumers}
   */
  AuthConfig bind(YamlNode.Mapping root, ConsumersBinder consumers) {
    YamlNode.Entry entry = root.entries().get("auth");
    boolean sectionWritten = entry != null && !ScalarReader.isNull(entry.value());
    Optional<YamlNode.Mapping> section = read.section(root, "auth");
    if (sectionWritten && section.isEmpty()) {
      return AuthConfig.NONE; // not a mapping: reported; the cross-checks would only add noise
    }
    section.ifPresent(m -> read.checkKeys(m, "auth", ConfigBinder.AUTH_KEYS));
    Optional<Value> requiredText = section.flatMap(m -> read.scalar(m, "required", "auth"));
    Optional<Boolean> requiredValue = requiredText.flatMap(read::bool);
    boolean required = requiredValue.orElse(consumers.declared() > 0);
    boolean requiredKnown = requiredText.isEmpty() || requiredValue.isPresent();
    Path keyStore =
        section
            .flatMap(m -> read.scalar(m, "keyStore", "auth"))
            .flatMap(read::path)
            .orElse(read.resolve(AuthConfig.DEFAULT_KEY_STORE));
    boolean pepperWritten = section.map(m -> ScalarReader.present(m, "keyPepper")).orElse(false);
    Optional<String> keyPepper =
        section.flatMap(m -> read.scalar(m, "keyPepper", "auth")).flatMap(v -> read.secret(v, MIN_SECRET_CHARS));
    List<JwtIssuerConfig> issuers = section.map(this::issuers).orElse(List.of());

    if (requiredValue.orElse(false) && consumers.declared() == 0 && issuersDeclared == 0) {
      read.problem(
          requiredText.get().line(),
          "auth.required",
          "is true but there are no consumers and no auth.jwt issuers, so nobody could call the gateway; add"
              + " consumers (with gateway keys) or a JWT issuer, or set required: false");
    } else if (required && requiredKnown && issuersDeclared == 0 && !pepperWritten) {
      int line = section.isPresent() ? entry.keyLine() : root.entries().get("consumers").keyLine();
      read.problem(
          line,
          "auth.keyPepper",
          "is required: auth.required is "
              + (requiredValue.isPresent() ? "true" : "true by default once consumers are listed")
              + " and there is no auth.jwt issuer, so callers need gateway keys, and gateway keys need auth.keyPepper"
              + " (a secret of at least "
              + MIN_SECRET_CHARS
              + " characters, for example keyPepper: ${SPILLWAY_KEY_PEPPER})");
    }
    if (issuersDeclared == 0) {
      for (ConsumersBinder.Located subjects : consumers.jwtSubjectKeys()) {
        read.problem(
            subjects.line(),
            subjects.path(),
            "needs at least one issuer under auth.jwt (jwtSubjects are matched against a JWT's consumerClaim); add"
                + " one, or remove jwtSubjects");
      }
    }
    return new AuthConfig(required, keyStore, keyPepper, issuers);
  }

  /** The issuers that bound cleanly; issuer values must be unique. */
  private List<JwtIssuerConfig> issuers(YamlNode.Mapping m) {
    List<JwtIssuerConfig> issuers = new ArrayList<>();
    YamlNode.Entry entry = m.entries().get("jwt");
    if (entry == null || ScalarReader.isNull(entry.value())) {
      return issuers;
    }
    if (!(entry.value() instanceof YamlNode.Sequence items)) {
      read.problem(entry.keyLine(), "auth.jwt", "must be a list of issuers (- issuer: ...), got " + entry.value().kind());
      issuersDeclared = 1; // something was meant; do not also claim there is no issuer
      return issuers;
    }
    issuersDeclared = items.items().size();
    Map<String, String> firstPathOfIssuer = new HashMap<>();
    for (int i = 0; i < items.items().size(); i++) {
      String path = "auth.jwt[" + i + "]";
      Optional<JwtIssuerConfig> issuer = issuerBinder.bind(items.items().get(i), path);
      if (issuer.isEmpty()) {
        continue;
      }
      String first = firstPathOfIssuer.putIfAbsent(issuer.get().issuer(), path);
      if (first != null) {
        YamlNode.Mapping item = (YamlNode.Mapping) items.items().get(i);
        read.problem(
            item.entries().get("issuer").keyLine(),
            path + ".issuer",
            "duplicate issuer (already configured at " + first + "); merge the two entries");
      } else {
        issuers.add(issuer.get());
      }
    }
    return issuers;
  }
}
