package dev.spillway.cli;

import dev.spillway.cli.init.ArmToken;
import dev.spillway.cli.init.AzureDiscovery;
import dev.spillway.cli.init.BackendAuthStyle;
import dev.spillway.cli.init.ConfigDraft;
import dev.spillway.cli.init.DiscoveredResource;
import dev.spillway.cli.init.InitYaml;
import dev.spillway.cli.init.ResourceDiscoverer;
import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.IssuedKey;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.auth.keys.KeyStoreException;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.pipeline.PipelineAssembler;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spillway init}: discovers the deployments of one or more Azure OpenAI resources and writes a commented gateway
 * config for them ({@link ConfigDraft}, {@link InitYaml}), checked by loading it before it is written, then issues a
 * gateway key for the config's consumer and prints it once. Secrets are read from the environment and never written:
 * the file names variables ({@code ${AZURE_OPENAI_KEY_<RESOURCE>}}, {@code ${SPILLWAY_KEY_PEPPER}}).
 *
 * <p>Exit codes: 0 written; 2 a usage error (bad option, file exists, missing variable, nothing to route to); 1
 * discovery failed (unreachable, refused) or a file could not be written.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write a gateway config from the deployments of your Azure OpenAI resources, and a gateway key.",
      "One model per model name across the resources, PTU deployments at priority 1, PAYG at 2, capacity from the SKU;"
          // picocli expands ${...} in descriptions; $${ writes a literal ${.
          + " a consumer and its gateway key, printed once. Keys are referenced as $${AZURE_OPENAI_KEY_<NAME>}, never"
          + " written.",
      "With --resource-id (and Entra client credentials) the deployments, SKUs and capacities come from Azure Resource"
          + " Manager. With --endpoint and a key only, from the resource's key-only list, which has no SKU: every"
          + " deployment is written as PAYG unless --ptu names it."
    })
final class InitCommand implements Callable<Integer> {
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  /** One resource: its endpoint, its ARM id, or both. */
  static final class Resource {
    @Option(names = "--endpoint", paramLabel = "URL",
        description = "A resource's endpoint, e.g. https://contoso-eastus.openai.azure.com (repeat per resource).")
    URI endpoint;

    @Option(names = "--resource-id", paramLabel = "ID", description = "Its ARM id, /subscriptions/.../providers/"
        + "Microsoft.CognitiveServices/accounts/<name>: read deployments and SKUs from Azure Resource Manager"
        + " (needs Entra credentials); the endpoint is read from it when --endpoint is not given.")
    String resourceId;

    @Option(names = "--key-env", paramLabel = "NAME", description = "The environment variable holding its key"
        + " (default AZURE_OPENAI_KEY_<NAME>); read for key-only discovery, referenced in the config.")
    String keyEnv;

    @Option(names = "--name", paramLabel = "NAME", description = "A short name for it (default: the account name, or"
        + " the endpoint's first host label).")
    String name;
  }

  @ArgGroup(exclusive = false, multiplicity = "1..*", heading = "Resources (repeat the group per resource):%n")
  List<Resource> resources = new ArrayList<>();

  @Option(names = "--ptu", split = ",", paramLabel = "DEPLOYMENT",
      description = "Deployments to write as PTU when discovered with a key only (which tells no SKU).")
  List<String> ptu = new ArrayList<>();

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "spillway.yaml",
      description = "Where to write the config (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--force", description = "Overwrite --out if it exists.")
  boolean force;

  @Option(names = "--consumer", paramLabel = "ID", defaultValue = "my-app",
      description = "The consumer to create and issue a gateway key to (default ${DEFAULT-VALUE}).")
  String consumer;

  @Option(names = "--team", paramLabel = "TEAM", defaultValue = "default",
      description = "Its team, for chargeback (default ${DEFAULT-VALUE}).")
  String team;

  @Option(names = "--tenant-id", paramLabel = "TENANT", description = "Entra tenant for Azure Resource Manager"
      + " (default $AZURE_TENANT_ID).")
  String tenantId;

  @Option(names = "--client-id", paramLabel = "ID", description = "Entra application (client) id (default"
      + " $AZURE_CLIENT_ID).")
  String clientId;

  @Option(names = "--client-secret-env", paramLabel = "NAME", defaultValue = "AZURE_CLIENT_SECRET",
      description = "The environment variable holding its client secret (default ${DEFAULT-VALUE}).")
  String clientSecretEnv;

  @Option(names = "--authority-host", paramLabel = "URL", description = "Entra authority host (default"
      + " $AZURE_AUTHORITY_HOST, else https://login.microsoftonline.com).")
  URI authorityHost;

  @Option(names = "--arm-endpoint", paramLabel = "URL", defaultValue = "https://management.azure.com",
      description = "Azure Resource Manager endpoint (default ${DEFAULT-VALUE}).")
  URI armEndpoint;

  @Option(names = "--backend-auth", paramLabel = "key|entra", defaultValue = "key", description = "How the gateway"
      + " authenticates to the resources: key (each resource's key variable, default) or entra (the same client"
      + " credentials, as a token for Azure OpenAI).")
  String backendAuth;

  private final Function<String, String> env;

  InitCommand() {
    this(System::getenv);
  }

  /** @param env the environment lookup (tests pass their own) */
  InitCommand(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (Files.exists(out) && !force) {
      throw new IllegalArgumentException(out + " exists; pass --force to overwrite it");
    }
    if (!backendAuth.equals("key") && !backendAuth.equals("entra")) {
      throw new IllegalArgumentException("--backend-auth must be key or entra, not '" + backendAuth + "'");
    }
    ResourceDiscoverer.requireEnvName("--client-secret-env", clientSecretEnv);
    boolean needsEntra = backendAuth.equals("entra") || resources.stream().anyMatch(r -> r.resourceId != null);
    Optional<EntraClient> entra = needsEntra ? Optional.of(entraClient()) : Optional.empty();
    ResourceDiscoverer discoverer = new ResourceDiscoverer(new AzureDiscovery(HTTP_TIMEOUT), armEndpoint, env);
    String[] armBearer = new String[1]; // one ARM token for every resource, fetched when the first one needs it
    Supplier<String> bearer = () -> {
      if (armBearer[0] == null) {
        EntraClient c = entra.orElseThrow();
        armBearer[0] = ArmToken.fetch(c.tokenUrl(), c.clientId(), clientSecret(c.clientId()),
            ResourceDiscoverer.httpUrl("--arm-endpoint", armEndpoint));
      }
      return armBearer[0];
    };
    List<DiscoveredResource> found = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < resources.size(); i++) {
      Resource r = resources.get(i);
      DiscoveredResource resource = discoverer.discover(new ResourceDiscoverer.Spec(Optional.ofNullable(r.endpoint),
          Optional.ofNullable(r.resourceId), Optional.ofNullable(r.keyEnv), Optional.ofNullable(r.name)), i + 1, bearer);
      if (!names.add(resource.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("two resources are named " + resource.name() + "; tell them apart with"
            + " --name");
      }
      stderr.println("spillway: " + resource.name() + ": " + resource.deployments().size() + " deployments"
          + (resource.viaManagementApi() ? " (Azure Resource Manager)" : " (key-only list, no SKU)"));
      found.add(resource);
    }
    ConfigDraft draft = ConfigDraft.of(found, new LinkedHashSet<>(ptu));
    BackendAuthStyle auth = entra.filter(c -> backendAuth.equals("entra"))
        .<BackendAuthStyle>map(c -> new BackendAuthStyle.Entra(c.tokenUrl(), c.clientId(), clientSecretEnv))
        .orElse(new BackendAuthStyle.ApiKey());
    String yaml = InitYaml.write(draft, auth, consumer, team);
    checkLoads(yaml);
    Path parent = out.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
      Files.writeString(out, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + out + " (" + e.getClass().getSimpleName() + ")", e);
    }
    String pepper = Optional.ofNullable(env.apply(InitYaml.PEPPER_ENV)).filter(p -> !p.isBlank()).orElse(null);
    boolean pepperGenerated = pepper == null;
    if (pepperGenerated) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      pepper = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    Path keyStore = FileKeyStore.resolveAgainstConfig(out, Path.of(InitYaml.KEY_STORE));
    IssuedKey key;
    try {
      key = new FileKeyStore(keyStore, new KeyHasher(pepper)).create(consumer, KeysCommand.now());
    } catch (KeyStoreException e) {
      throw new IllegalStateException("wrote " + out + ", but could not issue a gateway key: " + e.getMessage()
          + "; fix that, then run spillway keys create --config " + out + " --consumer " + consumer, e);
    }

    stdout.println("Wrote " + out + ": " + draft.models().size() + " models (" + String.join(", ", draft.models().keySet())
        + "), " + draft.models().values().stream().mapToInt(List::size).sum() + " backends from " + found.size()
        + (found.size() == 1 ? " resource." : " resources."));
    draft.notes().forEach(n -> stdout.println("Note: " + n));
    stdout.println("Gateway key for consumer " + consumer + " (shown once; only its hash is kept in " + keyStore + "):");
    stdout.println("  " + key.plaintext());
    stdout.println("Before spillway serve --config " + out + ", set:");
    if (auth instanceof BackendAuthStyle.Entra) {
      stdout.println("  export " + clientSecretEnv + "=<the client secret>");
    } else {
      found.stream().map(DiscoveredResource::keyEnv).distinct()
          .forEach(k -> stdout.println("  export " + k + "=<the resource's key>"));
    }
    stdout.println(pepperGenerated
        ? "  export " + InitYaml.PEPPER_ENV + "=" + pepper + "   # generated now: keep it secret, the key above is"
            + " checked with it"
        : "  " + InitYaml.PEPPER_ENV + " is set already: keep it, the key above is checked with it");
    stdout.flush();
    return 0;
  }

  private record EntraClient(URI tokenUrl, String clientId) {}

  private EntraClient entraClient() {
    String tenant = Optional.ofNullable(tenantId).or(() -> Optional.ofNullable(env.apply("AZURE_TENANT_ID")))
        .filter(t -> !t.isBlank()).orElseThrow(() -> new IllegalArgumentException(
            "--resource-id and --backend-auth entra need Entra credentials: --tenant-id (or AZURE_TENANT_ID)"));
    String client = Optional.ofNullable(clientId).or(() -> Optional.ofNullable(env.apply("AZURE_CLIENT_ID")))
        .filter(c -> !c.isBlank()).orElseThrow(() -> new IllegalArgumentException(
            "--resource-id and --backend-auth entra need Entra credentials: --client-id (or AZURE_CLIENT_ID)"));
    URI authority = Optional.ofNullable(authorityHost)
        .or(() -> Optional.ofNullable(env.apply("AZURE_AUTHORITY_HOST")).filter(h -> !h.isBlank()).map(URI::create))
        .orElse(URI.create("https://login.microsoftonline.com"));
    if (!tenant.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
      throw new IllegalArgumentException("--tenant-id must be a tenant GUID or domain, not '" + tenant + "'");
    }
    return new EntraClient(ArmToken.tokenUrl(ResourceDiscoverer.httpUrl("--authority-host", authority), tenant), client);
  }

  /** The client secret, read only when init itself calls Azure Resource Manager (the file references the variable). */
  private String clientSecret(String client) {
    return Optional.ofNullable(env.apply(clientSecretEnv)).filter(s -> !s.isBlank())
        .orElseThrow(() -> new IllegalArgumentException("set " + clientSecretEnv + " to the client secret of "
            + client + " (or name another variable with --client-secret-env)"));
  }

  /** Loads the YAML as the gateway will (every variable set to a stand-in), so a bad file is never written. */
  private void checkLoads(String yaml) {
    try {
      // Every required variable gets a stand-in (16+ characters, as the pepper must be); the listener keeps its default.
      SpillwayConfig loaded = ConfigLoader.parse(yaml, out.toString(),
          name -> name.equals(InitYaml.LISTEN_ENV) ? null : "stand-in-value-for-" + name,
          out.toAbsolutePath().getParent());
      new PipelineAssembler().validate(loaded.pipeline());
    } catch (ConfigException e) {
      throw new IllegalStateException("the config spillway init made does not load, so it was not written (please"
          + " report this): " + e.getMessage(), e);
    }
  }
}
