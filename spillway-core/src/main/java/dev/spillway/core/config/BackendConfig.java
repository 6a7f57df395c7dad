package dev.spillway.core.config;

import java.net.URI;
import java.util.Objects;

/**
 * One deployment of a model on one backend (an Azure OpenAI deployment or an OpenAI-compatible
 * model). Immutable and already validated: instances come from {@link ConfigLoader} or from tests.
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
    BackendCapacity capacity) {

  public static final String DEFAULT_API_VERSION = "2024-10-21";

  public BackendConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(timeouts, "timeouts");
    tls = tls == null ? BackendTls.DEFAULT : tls;
    capacity = capacity == null ? BackendCapacity.UNDECLARED : capacity;
    apiVersion = apiVersion == null ? DEFAULT_API_VERSION : apiVersion;
    region = region == null ? "" : region;
    if (priority < 1) {
      throw new IllegalArgumentException("priority must be >= 1, was " + priority);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1, was " + weight);
    }
  }

  /** A backend with default TLS (the JVM's trust store, no client certificate). */
  public BackendConfig(
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
      BackendTimeouts timeouts) {
    this(id, type, url, deployment, apiVersion, auth, tier, priority, weight, region, timeouts, BackendTls.DEFAULT);
  }

  /** A backend with no declared capacity. */
  public BackendConfig(
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
      BackendTls tls) {
    this(id, type, url, deployment, apiVersion, auth, tier, priority, weight, region, timeouts, tls,
        BackendCapacity.UNDECLARED);
  }
}
