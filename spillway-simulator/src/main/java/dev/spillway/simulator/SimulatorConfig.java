package dev.spillway.simulator;

import dev.spillway.core.config.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link Simulator} needs: where to listen, the seed, timing, an optional API key, the
 * deployments it serves, their content filters and the Content Safety resource beside them. Immutable;
 * validated on construction.
 *
 * <p>Create one from YAML with {@link #load(Path)} / {@link #parse(String)} (keys documented in
 * {@code examples/sim.yaml}), or in code with {@link #builder()}:
 *
 * <pre>{@code
 * SimulatorConfig config = SimulatorConfig.builder()
 *     .zeroLatency(true)
 *     .deployment(DeploymentConfig.ptu("gpt-4o-ptu", 60_000))
 *     .deployment(DeploymentConfig.payg("gpt-4o-payg", 300_000, 1_800))
 *     .build();
 * }</pre>
 *
 * @param host interface to bind (default {@code 127.0.0.1})
 * @param port TCP port, 0 for any free port (default 0)
 * @param seed seeds every pseudo-random choice (default 42)
 * @param zeroLatency answer at once, without TTFT or output pacing (default false)
 * @param timing latency model and PTU burst window
 * @param apiKey when present, requests must carry {@code api-key} or {@code Authorization: Bearer}
 * @param deployments the deployments served; names are unique
 * @param retryAfterMs a 429 carries {@code retry-after-ms} (exact, as Azure OpenAI sends it) besides the whole-second
 *     {@code retry-after}; false sends only {@code retry-after}, as many OpenAI-compatible servers do (default true)
 * @param contentFilter the simulated Azure OpenAI content filters and their trigger terms (default {@link
 *     ContentFilterConfig#NONE}: everything safe unless a request's {@code x-sim-content-filter} header says otherwise)
 * @param contentSafety the simulated Azure AI Content Safety resource (default {@link ContentSafetyConfig#DEFAULTS})
 */
public record SimulatorConfig(
    String host,
    int port,
    long seed,
    boolean zeroLatency,
    Timing timing,
    Optional<String> apiKey,
    List<DeploymentConfig> deployments,
    boolean retryAfterMs,
    ContentFilterConfig contentFilter,
    ContentSafetyConfig contentSafety) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final long DEFAULT_SEED = 42;

  public SimulatorConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(contentFilter, "contentFilter");
    Objects.requireNonNull(contentSafety, "contentSafety");
    if (apiKey.isPresent() && apiKey.get().isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank when set");
    }
    deployments = List.copyOf(deployments);
    Set<String> names = new HashSet<>();
    for (DeploymentConfig d : deployments) {
      if (!names.add(d.name())) {
        throw new IllegalArgumentException("deployment name '" + d.name() + "' is used twice");
      }
    }
    for (DeploymentConfig d : deployments) {
      Optional<String> problem = spilloverProblem(d, deployments);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("deployment " + d.name() + ": spilloverDeployment " + problem.get());
      }
    }
  }

  /**
   * What is wrong with {@code d}'s spillover deployment among {@code all}, if anything: Azure spills a
   * provisioned deployment only to a standard (PAYG) deployment of the same resource, and the target
   * must serve the same operations. Empty when {@code d} names none or a fitting one.
   */
  static Optional<String> spilloverProblem(DeploymentConfig d, List<DeploymentConfig> all) {
    if (d.spilloverDeployment().isEmpty()) {
      return Optional.empty();
    }
    String name = d.spilloverDeployment().get();
    Optional<DeploymentConfig> target = all.stream().filter(t -> t.name().equals(name)).findFirst();
    if (target.isEmpty()) {
      return Optional.of("'" + name + "' is not a deployment of this simulator; known: "
          + all.stream().map(DeploymentConfig::name).toList());
    }
    if (target.get().tier() != Tier.PAYG) {
      return Optional.of("'" + name + "' must be a payg deployment (Azure spills over to a standard deployment)");
    }
    if (target.get().kind() != d.kind()) {
      return Optional.of("'" + name + "' serves " + target.get().kind().id() + ", not " + d.kind().id());
    }
    return Optional.empty();
  }

  /** A config without content filter terms, with the default Content Safety resource. */
  public SimulatorConfig(
      String host, int port, long seed, boolean zeroLatency, Timing timing, Optional<String> apiKey,
      List<DeploymentConfig> deployments, boolean retryAfterMs) {
    this(host, port, seed, zeroLatency, timing, apiKey, deployments, retryAfterMs, ContentFilterConfig.NONE,
        ContentSafetyConfig.DEFAULTS);
  }

  /** A config whose 429s carry {@code retry-after-ms}. */
  public SimulatorConfig(
      String host, int port, long seed, boolean zeroLatency, Timing timing, Optional<String> apiKey,
      List<DeploymentConfig> deployments) {
    this(host, port, seed, zeroLatency, timing, apiKey, deployments, true);
  }

  /** Reads and validates a YAML file; a {@link SimulatorConfigException} names the bad key and line. */
  public static SimulatorConfig load(Path yamlFile) {
    String text;
    try {
      text = Files.readString(yamlFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read simulator config " + yamlFile, e);
    }
    return SimulatorConfigReader.read(text, yamlFile.toString());
  }

  /** Parses and validates YAML text; a {@link SimulatorConfigException} names the bad key and line. */
  public static SimulatorConfig parse(String yaml) {
    return SimulatorConfigReader.read(yaml, "<yaml>");
  }

  /** A builder with every default set and no deployments. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b =
        new Builder().host(host).port(port).seed(seed).zeroLatency(zeroLatency).timing(timing).retryAfterMs(retryAfterMs)
            .contentFilter(contentFilter).contentSafety(contentSafety);
    apiKey.ifPresent(b::apiKey);
    deployments.forEach(b::deployment);
    return b;
  }

  /** The deployment called {@code name}, if any. */
  public Optional<DeploymentConfig> deployment(String name) {
    return deployments.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** Collects {@link SimulatorConfig} fields; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = 0;
    private long seed = DEFAULT_SEED;
    private boolean zeroLatency = false;
    private Timing timing = Timing.defaults();
    private Optional<String> apiKey = Optional.empty();
    private boolean retryAfterMs = true;
    private ContentFilterConfig contentFilter = ContentFilterConfig.NONE;
    private ContentSafetyConfig contentSafety = ContentSafetyConfig.DEFAULTS;
    private final List<DeploymentConfig> deployments = new ArrayList<>();

    private Builder() {}

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder zeroLatency(boolean value) {
      this.zeroLatency = value;
      return this;
    }

    public Builder timing(Timing value) {
      this.timing = value;
      return this;
    }

    public Builder retryAfterMs(boolean value) {
      this.retryAfterMs = value;
      return this;
    }

    public Builder contentFilter(ContentFilterConfig value) {
      this.contentFilter = value;
      return this;
    }

    public Builder contentSafety(ContentSafetyConfig value) {
      this.contentSafety = value;
      return this;
    }

    public Builder apiKey(String value) {
      this.apiKey = Optional.of(value);
      return this;
    }

    public Builder noApiKey() {
      this.apiKey = Optional.empty();
      return this;
    }

    public Builder deployment(DeploymentConfig value) {
      this.deployments.add(Objects.requireNonNull(value, "deployment"));
      return this;
    }

    public Builder deployments(List<DeploymentConfig> values) {
      values.forEach(this::deployment);
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(host, port, seed, zeroLatency, timing, apiKey, deployments, retryAfterMs,
          contentFilter, contentSafety);
    }
  }
}
