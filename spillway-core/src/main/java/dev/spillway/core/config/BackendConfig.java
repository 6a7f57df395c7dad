package dev.spillway.core.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One deployment of a model on one backend (an Azure OpenAI deployment or an OpenAI-compatible
 * model). Immutable and already validated: instances come from {@link ConfigLoader} or from {@link #builder()}.
 *
 * @param id unique across the whole config; appears in headers, metrics and the ledger
 * @param type the wire dialect
 * @param url for {@code azure} the resource endpoint ({@code https://x.openai.azure.com}); for
 *     {@code openai} the API base including the version path ({@code https://api.openai.com/v1})
 * @param deployment the backend's own name for the model: the Azure deployment name, or the model
 *     name an OpenAI backend expects in the body
 * @param apiVersion the {@code api-version} query value for Azure backends (ignored for openai)
 * @param auth the credential Spillway presents upstream
 * @param tier PTU or PAYG
 * @param priority 1 is tried first; larger numbers are fallbacks
 * @param weight relative share inside a priority group, at least 1
 * @param region free text (for example {@code eastus}); for tables, metrics and chargeback
 * @param timeouts per-call limits
 * @param tls client certificate and extra trust towards this backend
 * @param capacity the TPM/RPM the backend declares, for the router to stay under
 * @param azureSpillover for an Azure PTU deployment: a standard deployment of the same resource that the gateway asks
 *     Azure to spill to ({@code x-ms-spillover-deployment}) as the last resort, when every other backend of the pool
 *     is exhausted
 * @param http2 whether requests to the backend go over HTTP/2 ({@link Http2Mode})
 */
public record BackendConfig(
    String id,
    BackendType type,
    URI url,
    String deployment,
    String apiVersion,
    BackendAuth auth,
    Tier tier,
    int priority,
    int weight,
    String region,
    BackendTimeouts timeouts,
    BackendTls tls,
    BackendCapacity capacity,
    Optional<String> azureSpillover,
    Http2Mode http2) {

  public static final String DEFAULT_API_VERSION = "2024-10-21";

  public BackendConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(azureSpillover, "azureSpillover");
    Objects.requireNonNull(http2, "http2");
    if (azureSpillover.isPresent() && (type != BackendType.AZURE || tier != Tier.PTU)) {
      throw new IllegalArgumentException("azureSpillover applies to an Azure PTU backend only");
    }
    if (priority < 1) {
      throw new IllegalArgumentException("priority must be >= 1, was " + priority);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1, was " + weight);
    }
  }

  /**
   * A builder for backends made in code. {@code id}, {@code url}, {@code deployment} and {@code tier} must be set; the
   * rest start where a config file leaves them: type {@code azure}, {@link #DEFAULT_API_VERSION}, {@link
   * BackendAuth#NONE}, priority 1, weight 1, no region, {@link BackendTimeouts#DEFAULTS}, {@link BackendTls#DEFAULT},
   * {@link BackendCapacity#UNDECLARED} and {@link Http2Mode#AUTO}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every part of this backend, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .type(type)
        .url(url)
        .deployment(deployment)
        .apiVersion(apiVersion)
        .auth(auth)
        .tier(tier)
        .priority(priority)
        .weight(weight)
        .region(region)
        .timeouts(timeouts)
        .tls(tls)
        .capacity(capacity)
        .azureSpillover(azureSpillover)
        .http2(http2);
  }

  /**
   * Collects the parts of a {@link BackendConfig}; {@link #build()} checks that the required ones are set and the
   * record checks priority and weight. Each setter rejects null. Not thread-safe; use it once.
   */
  public static final class Builder {
    private String id;
    private BackendType type = BackendType.AZURE;
    private URI url;
    private String deployment;
    private String apiVersion = DEFAULT_API_VERSION;
    private BackendAuth auth = BackendAuth.NONE;
    private Tier tier;
    private int priority = 1;
    private int weight = 1;
    private String region = "";
    private BackendTimeouts timeouts = BackendTimeouts.DEFAULTS;
    private BackendTls tls = BackendTls.DEFAULT;
    private BackendCapacity capacity = BackendCapacity.UNDECLARED;
    private Optional<String> azureSpillover = Optional.empty();
    private Http2Mode http2 = Http2Mode.AUTO;

    private Builder() {}

    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    public Builder type(BackendType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    public Builder url(URI url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The Azure deployment name, or the model name an OpenAI backend expects in the body. */
    public Builder deployment(String deployment) {
      this.deployment = Objects.requireNonNull(deployment, "deployment");
      return this;
    }

    public Builder apiVersion(String apiVersion) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      return this;
    }

    public Builder auth(BackendAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    public Builder tier(Tier tier) {
      this.tier = Objects.requireNonNull(tier, "tier");
      return this;
    }

    /** 1 is tried first; checked by {@link #build()}. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Relative share inside a priority group, at least 1; checked by {@link #build()}. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    public Builder timeouts(BackendTimeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    public Builder tls(BackendTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** A standard deployment Azure may spill this PTU deployment's request to, as the last resort; empty = none. */
    public Builder azureSpillover(Optional<String> azureSpillover) {
      this.azureSpillover = Objects.requireNonNull(azureSpillover, "azureSpillover");
      return this;
    }

    public Builder capacity(BackendCapacity capacity) {
      this.capacity = Objects.requireNonNull(capacity, "capacity");
      return this;
    }

    public Builder http2(Http2Mode http2) {
      this.http2 = Objects.requireNonNull(http2, "http2");
      return this;
    }

    /**
     * @throws IllegalStateException when id, url, deployment or tier was not set (the message names each missing one)
     * @throws IllegalArgumentException when priority or weight is below 1
     */
    public BackendConfig build() {
      List<String> missing = new ArrayList<>();
      if (id == null) {
        missing.add("id");
      }
      if (url == null) {
        missing.add("url");
      }
      if (deployment == null) {
        missing.add("deployment");
      }
      if (tier == null) {
        missing.add("tier");
      }
      if (!missing.isEmpty()) {
        String backend = id == null ? "" : " (backend " + id + ")";
        throw new IllegalStateException("BackendConfig.builder() needs " + String.join(", ", missing) + " set" + backend);
      }
      return new BackendConfig(
          id, type, url, deployment, apiVersion, auth, tier, priority, weight, region, timeouts, tls, capacity,
          azureSpillover, http2);
    }
  }
}
