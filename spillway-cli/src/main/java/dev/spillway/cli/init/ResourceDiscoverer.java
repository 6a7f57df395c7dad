package dev.spillway.cli.init;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns what the user said of one resource ({@link Spec}) into a {@link DiscoveredResource}: through Azure Resource
 * Manager when it has a resource id, else through the key-only list with the key read from the environment. Names the
 * resource and its key variable. Not thread-safe (a command-line tool uses one per run).
 */
public final class ResourceDiscoverer {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * One resource as given on the command line: an endpoint, an ARM id, or both.
   *
   * @param endpoint {@code --endpoint}
   * @param resourceId {@code --resource-id}
   * @param keyEnv {@code --key-env}
   * @param name {@code --name}
   */
  public record Spec(Optional<URI> endpoint, Optional<String> resourceId, Optional<String> keyEnv, Optional<String> name) {
    public Spec {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(resourceId, "resourceId");
      Objects.requireNonNull(keyEnv, "keyEnv");
      Objects.requireNonNull(name, "name");
    }
  }

  private final AzureDiscovery discovery;
  private final URI armEndpoint;
  private final Function<String, String> env;

  /**
   * @param armEndpoint Azure Resource Manager's endpoint
   * @param env the environment, where keys are read
   */
  public ResourceDiscoverer(AzureDiscovery discovery, URI armEndpoint, Function<String, String> env) {
    this.discovery = discovery;
    this.armEndpoint = armEndpoint;
    this.env = env;
  }

  /**
   * Discovers one resource.
   *
   * @param index its 1-based position, for a default name
   * @param armBearer the {@code Authorization} value for ARM, asked for only when {@code spec} has a resource id
   * @throws IllegalArgumentException for a usage error (bad option, key variable not set)
   * @throws DiscoveryException when a call fails
   */
  public DiscoveredResource discover(Spec spec, int index, Supplier<String> armBearer) {
    if (spec.endpoint().isEmpty() && spec.resourceId().isEmpty()) {
      throw new IllegalArgumentException("each resource needs --endpoint or --resource-id");
    }
    Optional<URI> endpoint = spec.endpoint().map(u -> httpUrl("--endpoint", u));
    if (spec.resourceId().isPresent()) {
      AzureResourceId id = AzureResourceId.parse(spec.resourceId().get());
      URI arm = httpUrl("--arm-endpoint", armEndpoint);
      String bearer = armBearer.get();
      AzureDiscovery.Account account = discovery.account(arm, id, bearer);
      URI url = endpoint.or(account::endpoint).map(u -> httpUrl("the endpoint Azure Resource Manager reported", u))
          .orElseThrow(() -> new IllegalArgumentException(id.accountName()
              + ": Azure Resource Manager reported no endpoint; pass --endpoint with --resource-id"));
      String name = nameOf(spec, Optional.of(id.accountName()), url, index);
      return new DiscoveredResource(name, withoutSlash(url), account.location(), keyEnvOf(spec, name), true,
          discovery.armDeployments(arm, id, bearer));
    }
    URI url = endpoint.orElseThrow();
    String name = nameOf(spec, Optional.empty(), url, index);
    String keyEnv = keyEnvOf(spec, name);
    String key = Optional.ofNullable(env.apply(keyEnv)).filter(k -> !k.isBlank()).orElseThrow(() ->
        new IllegalArgumentException("set " + keyEnv + " to the key of " + url + " (or name another variable with"
            + " --key-env, or pass --resource-id to discover with Entra credentials)"));
    return new DiscoveredResource(name, withoutSlash(url), Optional.empty(), keyEnv, false,
        discovery.dataPlaneDeployments(url, key));
  }

  /** {@code --name}, else the account name, else the endpoint's first host label, else {@code resource<index>}. */
  private static String nameOf(Spec spec, Optional<String> account, URI url, int index) {
    if (spec.name().isPresent()) {
      String name = spec.name().get();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("--name must be letters, digits, '.', '_' or '-', not '" + name + "'");
      }
      return name;
    }
    if (account.isPresent()) {
      return account.get();
    }
    String host = url.getHost();
    boolean address = host.matches("[0-9.]+") || host.startsWith("[") || host.equals("localhost");
    return address ? "resource" + index : host.split("\\.")[0];
  }

  /** {@code --key-env}, else {@code AZURE_OPENAI_KEY_<NAME>}. */
  private static String keyEnvOf(Spec spec, String name) {
    if (spec.keyEnv().isPresent()) {
      return requireEnvName("--key-env", spec.keyEnv().get());
    }
    return "AZURE_OPENAI_KEY_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** @throws IllegalArgumentException naming {@code option} when {@code value} is no environment variable name */
  public static String requireEnvName(String option, String value) {
    if (!ENV_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(option + " must be an environment variable name, not '" + value + "'");
    }
    return value;
  }

  /** @throws IllegalArgumentException naming {@code what} unless {@code url} is absolute http(s) without a query */
  public static URI httpUrl(String what, URI url) {
    if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
        || url.getHost() == null || url.getRawQuery() != null) {
      throw new IllegalArgumentException(what + " must be an absolute http(s) URL without a query, not '" + url + "'");
    }
    return url;
  }

  private static URI withoutSlash(URI url) {
    String s = url.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : url;
  }
}
