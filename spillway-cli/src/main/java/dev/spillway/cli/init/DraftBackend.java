package dev.spillway.cli.init;

import dev.spillway.core.config.Tier;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One backend of the config {@code spillway init} writes: an Azure deployment in a pool.
 *
 * @param id unique backend id, {@code <region or resource>-<deployment>}
 * @param url the resource's endpoint
 * @param deployment the Azure deployment name
 * @param tier PTU or PAYG
 * @param priority 1 for PTU, 2 for PAYG
 * @param region the resource's Azure region, empty when unknown
 * @param keyEnv the environment variable holding the resource's key
 * @param tokensPerMinute the capacity hint, when the SKU gives one
 * @param comments lines written above the backend (what was found, what to check), without {@code #}
 */
public record DraftBackend(
    String id, URI url, String deployment, Tier tier, int priority, String region, String keyEnv,
    OptionalLong tokensPerMinute, List<String> comments) {
  public DraftBackend {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(keyEnv, "keyEnv");
    Objects.requireNonNull(tokensPerMinute, "tokensPerMinute");
    comments = List.copyOf(comments);
  }
}
