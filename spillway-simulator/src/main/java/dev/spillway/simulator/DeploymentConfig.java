package dev.spillway.simulator;

import dev.spillway.core.config.Tier;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated Azure OpenAI deployment.
 *
 * <p>A {@link Tier#PTU} deployment has a capacity in tokens per minute, enforced by a leaky bucket
 * (see {@link Timing#ptuBurst()}); its PAYG quotas must be 0. A {@link Tier#PAYG} deployment has
 * tokens-per-minute and requests-per-minute quotas over fixed one-minute windows (0 = unlimited);
 * its capacity must be 0. Build one with {@link #ptu}, {@link #payg}, {@link #embeddings}, {@link
 * #images}, {@link #audio} or {@link #moderation}, then adjust with the {@code withX} methods: e.g.
 * {@code ptu("gpt-image-1-ptu", 60_000).withKind(DeploymentKind.IMAGES)} is a PTU images deployment, and
 * {@code images("dall-e-3").withQuotas(0, 6)} a PAYG one limited to 6 requests a minute.
 *
 * <p>A PTU deployment may name a spillover deployment, as Azure's {@code spilloverDeploymentName}
 * deployment property does: a request its bucket would answer {@code 429} is served by that PAYG
 * deployment of the same simulator instead, at once. That it is PAYG, of the same kind and exists is
 * checked by {@link SimulatorConfig}, which sees every deployment.
 *
 * @param name the deployment name: the {@code {deployment}} path segment or the body {@code model}
 * @param kind what it serves
 * @param tier how it is limited
 * @param capacityTokensPerMinute PTU capacity in tokens per minute (PTU only, &gt; 0)
 * @param tokensPerMinute PAYG token quota per minute (PAYG only, 0 = unlimited)
 * @param requestsPerMinute PAYG request quota per minute (PAYG only, 0 = unlimited)
 * @param embeddingDimensions native vector length of an embeddings deployment (default 1536)
 * @param faults faults injected without being asked for ({@link FaultConfig#NONE} by default)
 * @param spilloverDeployment PTU only: the PAYG deployment that takes the requests this one throttles
 *     (none by default)
 * @param promptCache whether chat and text completions report a provider prompt cache ({@link PromptCache}): a
 *     prompt that begins with the same 1,024 tokens (or a multiple) as one this deployment served recently reports
 *     them in {@code usage.prompt_tokens_details.cached_tokens}. Off by default, so runs that do not ask for it
 *     keep reporting 0
 * @param model the model it serves, as Azure's management API reports it ({@code properties.model.name}) and the
 *     data-plane deployment list its {@code model}: several deployments (PTU and PAYG, say) may serve one model. Empty
 *     by default, which reports the deployment's own name ({@link #modelName()})
 */
public record DeploymentConfig(
    String name,
    DeploymentKind kind,
    Tier tier,
    long capacityTokensPerMinute,
    long tokensPerMinute,
    long requestsPerMinute,
    int embeddingDimensions,
    FaultConfig faults,
    Optional<String> spilloverDeployment,
    boolean promptCache,
    Optional<String> model) {

  public static final int DEFAULT_EMBEDDING_DIMENSIONS = 1536;

  public DeploymentConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("deployment name must not be blank");
    }
    if (name.contains("/") || !name.strip().equals(name)) {
      throw new IllegalArgumentException(
          "deployment name must not contain '/' or surrounding spaces: '" + name + "'");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(spilloverDeployment, "spilloverDeployment");
    Objects.requireNonNull(model, "model");
    String where = "deployment " + name + ": ";
    if (tier == Tier.PTU) {
      if (capacityTokensPerMinute <= 0) {
        throw new IllegalArgumentException(where + "capacityTokensPerMinute must be > 0 for a ptu deployment");
      }
      if (tokensPerMinute != 0 || requestsPerMinute != 0) {
        throw new IllegalArgumentException(
            where + "tokensPerMinute and requestsPerMinute apply to payg deployments only");
      }
    } else {
      if (capacityTokensPerMinute != 0) {
        throw new IllegalArgumentException(where + "capacityTokensPerMinute applies to ptu deployments only");
      }
      if (tokensPerMinute < 0 || requestsPerMinute < 0) {
        throw new IllegalArgumentException(
            where + "tokensPerMinute and requestsPerMinute must be >= 0 (0 = unlimited)");
      }
    }
    if (model.isPresent() && (model.get().isBlank() || !model.get().strip().equals(model.get()))) {
      throw new IllegalArgumentException(where + "model must not be blank or have surrounding spaces");
    }
    if (embeddingDimensions <= 0) {
      throw new IllegalArgumentException(where + "embeddingDimensions must be > 0");
    }
    if (spilloverDeployment.isPresent()) {
      if (spilloverDeployment.get().isBlank()) {
        throw new IllegalArgumentException(where + "spilloverDeployment must not be blank");
      }
      if (tier != Tier.PTU) {
        throw new IllegalArgumentException(where + "spilloverDeployment applies to ptu deployments only");
      }
      if (spilloverDeployment.get().equals(name)) {
        throw new IllegalArgumentException(where + "spilloverDeployment must name another deployment");
      }
    }
  }

  /** A deployment that reports its own name as its model. */
  public DeploymentConfig(
      String name,
      DeploymentKind kind,
      Tier tier,
      long capacityTokensPerMinute,
      long tokensPerMinute,
      long requestsPerMinute,
      int embeddingDimensions,
      FaultConfig faults,
      Optional<String> spilloverDeployment,
      boolean promptCache) {
    this(name, kind, tier, capacityTokensPerMinute, tokensPerMinute, requestsPerMinute, embeddingDimensions, faults,
        spilloverDeployment, promptCache, Optional.empty());
  }

  /** A deployment without a prompt cache. */
  public DeploymentConfig(
      String name,
      DeploymentKind kind,
      Tier tier,
      long capacityTokensPerMinute,
      long tokensPerMinute,
      long requestsPerMinute,
      int embeddingDimensions,
      FaultConfig faults,
      Optional<String> spilloverDeployment) {
    this(name, kind, tier, capacityTokensPerMinute, tokensPerMinute, requestsPerMinute, embeddingDimensions, faults,
        spilloverDeployment, false);
  }

  /** A deployment without a spillover deployment. */
  public DeploymentConfig(
      String name,
      DeploymentKind kind,
      Tier tier,
      long capacityTokensPerMinute,
      long tokensPerMinute,
      long requestsPerMinute,
      int embeddingDimensions,
      FaultConfig faults) {
    this(name, kind, tier, capacityTokensPerMinute, tokensPerMinute, requestsPerMinute, embeddingDimensions, faults,
        Optional.empty());
  }

  /** A chat deployment on provisioned throughput of {@code capacityTokensPerMinute}. */
  public static DeploymentConfig ptu(String name, long capacityTokensPerMinute) {
    return new DeploymentConfig(
        name, DeploymentKind.CHAT, Tier.PTU, capacityTokensPerMinute, 0, 0,
        DEFAULT_EMBEDDING_DIMENSIONS, FaultConfig.NONE);
  }

  /** A pay-as-you-go chat deployment; 0 means unlimited for either quota. */
  public static DeploymentConfig payg(String name, long tokensPerMinute, long requestsPerMinute) {
    return new DeploymentConfig(
        name, DeploymentKind.CHAT, Tier.PAYG, 0, tokensPerMinute, requestsPerMinute,
        DEFAULT_EMBEDDING_DIMENSIONS, FaultConfig.NONE);
  }

  /** An unlimited pay-as-you-go embeddings deployment with 1536-dimensional vectors. */
  public static DeploymentConfig embeddings(String name) {
    return embeddings(name, DEFAULT_EMBEDDING_DIMENSIONS);
  }

  /** An unlimited pay-as-you-go embeddings deployment with vectors of {@code dimensions}. */
  public static DeploymentConfig embeddings(String name, int dimensions) {
    return new DeploymentConfig(
        name, DeploymentKind.EMBEDDINGS, Tier.PAYG, 0, 0, 0, dimensions, FaultConfig.NONE);
  }

  /** An unlimited pay-as-you-go images deployment ({@code images/generations}, {@code /edits}, {@code /variations}). */
  public static DeploymentConfig images(String name) {
    return payg(name, 0, 0).withKind(DeploymentKind.IMAGES);
  }

  /** An unlimited pay-as-you-go audio deployment (transcriptions, translations and speech). */
  public static DeploymentConfig audio(String name) {
    return payg(name, 0, 0).withKind(DeploymentKind.AUDIO);
  }

  /** An unlimited pay-as-you-go moderations deployment, e.g. {@code omni-moderation-latest}. */
  public static DeploymentConfig moderation(String name) {
    return payg(name, 0, 0).withKind(DeploymentKind.MODERATION);
  }

  public DeploymentConfig withFaults(FaultConfig value) {
    return new DeploymentConfig(name, kind, tier, capacityTokensPerMinute, tokensPerMinute,
        requestsPerMinute, embeddingDimensions, value, spilloverDeployment, promptCache, model);
  }

  public DeploymentConfig withKind(DeploymentKind value) {
    return new DeploymentConfig(name, value, tier, capacityTokensPerMinute, tokensPerMinute,
        requestsPerMinute, embeddingDimensions, faults, spilloverDeployment, promptCache, model);
  }

  /** Sets PAYG quotas (0 = unlimited); only valid for a PAYG deployment. */
  public DeploymentConfig withQuotas(long tokensPerMinuteValue, long requestsPerMinuteValue) {
    return new DeploymentConfig(name, kind, tier, capacityTokensPerMinute, tokensPerMinuteValue,
        requestsPerMinuteValue, embeddingDimensions, faults, spilloverDeployment, promptCache, model);
  }

  public DeploymentConfig withEmbeddingDimensions(int value) {
    return new DeploymentConfig(name, kind, tier, capacityTokensPerMinute, tokensPerMinute,
        requestsPerMinute, value, faults, spilloverDeployment, promptCache, model);
  }

  /** Names the PAYG deployment that serves what this PTU deployment throttles; only valid for a PTU deployment. */
  public DeploymentConfig withSpilloverDeployment(String value) {
    return new DeploymentConfig(name, kind, tier, capacityTokensPerMinute, tokensPerMinute,
        requestsPerMinute, embeddingDimensions, faults, Optional.of(value), promptCache, model);
  }

  /** Turns the provider prompt cache of chat and text completions on or off. */
  public DeploymentConfig withPromptCache(boolean value) {
    return new DeploymentConfig(name, kind, tier, capacityTokensPerMinute, tokensPerMinute,
        requestsPerMinute, embeddingDimensions, faults, spilloverDeployment, value, model);
  }

  /** Reports {@code value} as the model this deployment serves (Azure's {@code properties.model.name}). */
  public DeploymentConfig withModel(String value) {
    return new DeploymentConfig(name, kind, tier, capacityTokensPerMinute, tokensPerMinute,
        requestsPerMinute, embeddingDimensions, faults, spilloverDeployment, promptCache, Optional.of(value));
  }

  /** The model this deployment reports serving: {@link #model()}, else its own name. */
  public String modelName() {
    return model.orElse(name);
  }
}
