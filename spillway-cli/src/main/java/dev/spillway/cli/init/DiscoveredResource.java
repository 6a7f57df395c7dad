package dev.spillway.cli.init;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Azure OpenAI resource and what discovery found in it.
 *
 * @param name its short name: the account name, or what {@code --name} or the endpoint's host said; names the key
 *     variable and, when regions do not, the backends
 * @param endpoint the data-plane endpoint the gateway calls ({@code https://x.openai.azure.com})
 * @param location its Azure region, when the management API said
 * @param keyEnv the environment variable the written config reads its key from
 * @param viaManagementApi true when the deployments came from Azure Resource Manager (SKU and capacity known), false
 *     when from the key-only data-plane list
 * @param deployments what it serves
 */
public record DiscoveredResource(
    String name, URI endpoint, Optional<String> location, String keyEnv, boolean viaManagementApi,
    List<DiscoveredDeployment> deployments) {
  public DiscoveredResource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(keyEnv, "keyEnv");
    deployments = List.copyOf(deployments);
  }
}
