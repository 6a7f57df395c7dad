package dev.spillway.cli.init;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One deployment as discovery found it. From Azure Resource Manager every field is known; from the data plane's
 * key-only list only the name, the model and the state are ({@code sku} and {@code capacity} empty, {@code version}
 * and {@code format} empty).
 *
 * @param name the deployment name (what the gateway puts in the URL)
 * @param model the model it serves ({@code properties.model.name}), e.g. {@code gpt-4o}
 * @param version the model version, empty when unknown
 * @param format the model format ({@code OpenAI} for Azure OpenAI models), empty when unknown
 * @param sku the SKU name ({@code ProvisionedManaged}, {@code GlobalStandard}, ...), empty when unknown
 * @param capacity the SKU capacity: PTUs for a provisioned SKU, thousands of tokens a minute for a standard one
 * @param state the provisioning state ({@code Succeeded}, {@code Creating}, ...) or the data plane's status
 */
public record DiscoveredDeployment(
    String name, String model, String version, String format, Optional<String> sku, OptionalLong capacity,
    String state) {
  public DiscoveredDeployment {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(state, "state");
  }
}
