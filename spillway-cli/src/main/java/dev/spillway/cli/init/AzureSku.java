package dev.spillway.cli.init;

import java.util.Locale;
import java.util.Set;

/**
 * What an Azure OpenAI deployment SKU means for routing. Provisioned SKUs ({@code ProvisionedManaged}, {@code
 * GlobalProvisionedManaged}, {@code DataZoneProvisionedManaged}) are paid-for throughput: PTU, filled first, capacity
 * in PTUs. Standard SKUs ({@code Standard}, {@code GlobalStandard}, {@code DataZoneStandard}) are pay-as-you-go,
 * capacity in thousands of tokens a minute. Batch SKUs ({@code GlobalBatch}, {@code DataZoneBatch}) only take batch
 * jobs, so they are no backend for online traffic. Anything else is {@link #UNKNOWN}.
 */
public enum AzureSku {
  PTU,
  PAYG,
  BATCH,
  UNKNOWN;

  private static final Set<String> PROVISIONED =
      Set.of("provisionedmanaged", "globalprovisionedmanaged", "datazoneprovisionedmanaged");
  private static final Set<String> STANDARD = Set.of("standard", "globalstandard", "datazonestandard");
  private static final Set<String> BATCHES = Set.of("globalbatch", "datazonebatch");

  /** The kind of SKU {@code name} is, ignoring case. */
  public static AzureSku of(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (PROVISIONED.contains(n)) {
      return PTU;
    }
    if (STANDARD.contains(n)) {
      return PAYG;
    }
    return BATCHES.contains(n) ? BATCH : UNKNOWN;
  }
}
