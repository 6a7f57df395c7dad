package dev.spillway.cli.init;

import dev.spillway.core.config.Tier;
import dev.spillway.core.plan.PublishedPtuFigures;
import dev.spillway.core.plan.PtuThroughput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The gateway config {@code spillway init} proposes for what discovery found, before it is written: one pool per model
 * name across every resource, PTU deployments at priority 1 and PAYG at 2, capacity hints from the SKU, and why each
 * deployment left out was left out. Pure: a function of the discovered resources and the user's choices.
 *
 * <p>Rules. A deployment is left out (with a note) when it is not {@code Succeeded}, its model format is not {@code
 * OpenAI}, or its SKU is a batch SKU. A provisioned SKU is PTU, its capacity hint its PTUs times the input tokens a
 * minute one PTU of the model serves (Azure's published figures, {@link PublishedPtuFigures}), or none for a model
 * without published figures. A standard SKU is PAYG with a hint of its capacity times 1,000 tokens a minute. From the
 * key-only list (no SKU) a deployment is PAYG unless {@code --ptu} names it, without a hint, and says so. Backend ids
 * are {@code <region>-<deployment>} when every resource has its own region, else {@code <resource>-<deployment>}.
 *
 * @param resources the resources, as discovered
 * @param models logical model name to its backends (PTU first), sorted by name
 * @param notes what was left out and why, and other findings for the file's header
 */
public record ConfigDraft(List<DiscoveredResource> resources, Map<String, List<DraftBackend>> models, List<String> notes) {

  public ConfigDraft {
    resources = List.copyOf(resources);
    models = java.util.Collections.unmodifiableMap(new TreeMap<>(models));
    notes = List.copyOf(notes);
  }

  /**
   * The draft for {@code resources}.
   *
   * @param ptuNames deployments of key-only resources to write as PTU (ignored for ones the management API described)
   * @throws IllegalArgumentException when {@code ptuNames} names a deployment no key-only resource has, or when no
   *     usable deployment was found
   */
  public static ConfigDraft of(List<DiscoveredResource> resources, Set<String> ptuNames) {
    Objects.requireNonNull(ptuNames, "ptuNames");
    Set<String> keyOnlyNames = new HashSet<>();
    resources.stream().filter(r -> !r.viaManagementApi())
        .forEach(r -> r.deployments().forEach(d -> keyOnlyNames.add(d.name())));
    List<String> unknown = ptuNames.stream().filter(n -> !keyOnlyNames.contains(n)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("--ptu names " + String.join(", ", unknown) + ", which no resource found with"
          + " the key only has (found: " + (keyOnlyNames.isEmpty() ? "none; --ptu applies to resources given without"
          + " --resource-id" : String.join(", ", new java.util.TreeSet<>(keyOnlyNames))) + ")");
    }
    boolean byRegion = regionsNameResources(resources);
    Map<String, List<DraftBackend>> models = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (DiscoveredResource r : resources) {
      for (DiscoveredDeployment d : r.deployments()) {
        Optional<String> skipped = skipReason(d);
        if (skipped.isPresent()) {
          notes.add("left out " + r.name() + "/" + d.name() + " (" + d.model() + "): " + skipped.get());
          continue;
        }
        String prefix = byRegion ? r.location().orElseThrow() : r.name();
        String id = uniqueId(sanitize(prefix + "-" + d.name()), ids);
        models.computeIfAbsent(d.model(), m -> new ArrayList<>()).add(backend(id, r, d, ptuNames));
      }
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException("found no deployment to route to"
          + (notes.isEmpty() ? " (the resources have no deployments)" : ": " + String.join("; ", notes)));
    }
    models.replaceAll((model, backends) -> backends.stream()
        .sorted(Comparator.comparingInt(DraftBackend::priority)).toList());
    return new ConfigDraft(resources, models, notes);
  }

  private static DraftBackend backend(String id, DiscoveredResource r, DiscoveredDeployment d, Set<String> ptuNames) {
    List<String> comments = new ArrayList<>();
    String found = r.name() + "/" + d.name() + ": " + d.model() + (d.version().isEmpty() ? "" : " " + d.version());
    Tier tier;
    OptionalLong tokensPerMinute = OptionalLong.empty();
    if (d.sku().isEmpty()) {
      tier = ptuNames.contains(d.name()) ? Tier.PTU : Tier.PAYG;
      comments.add(found + ", SKU unknown (listed with the key only)");
      comments.add(tier == Tier.PTU
          ? "PTU because --ptu named it; capacity unknown: set capacity.tokensPerMinute to its throughput"
          : "written as PAYG: if it is provisioned, set tier: ptu and priority: 1 (or run init with --ptu "
              + d.name() + ", or with --resource-id to read its SKU)");
    } else {
      String sku = d.sku().get();
      long capacity = d.capacity().orElse(0);
      AzureSku kind = AzureSku.of(sku);
      tier = kind == AzureSku.PTU ? Tier.PTU : Tier.PAYG;
      if (kind == AzureSku.PTU) {
        Optional<PtuThroughput> figures = PublishedPtuFigures.of(d.model());
        if (capacity > 0 && figures.isPresent()) {
          long perPtu = figures.get().inputTokensPerMinutePerPtu();
          tokensPerMinute = OptionalLong.of(Math.multiplyExact(capacity, perPtu));
          comments.add(found + ", " + sku + ", " + capacity + " PTU x " + thousands(perPtu)
              + " input tokens a minute per PTU (Azure's published figure)");
        } else {
          comments.add(found + ", " + sku + ", " + capacity + " PTU");
          comments.add("no published tokens-per-PTU figure for " + d.model()
              + ": set capacity.tokensPerMinute to its throughput");
        }
      } else {
        if (capacity > 0) {
          tokensPerMinute = OptionalLong.of(Math.multiplyExact(capacity, 1_000L));
        }
        comments.add(found + ", " + sku + (capacity > 0 ? ", quota " + thousands(capacity * 1_000) + " tokens a minute"
            : ""));
        if (kind == AzureSku.UNKNOWN) {
          comments.add("SKU " + sku + " is unknown to spillway init: written as PAYG, check it");
        }
      }
    }
    return new DraftBackend(id, r.endpoint(), d.name(), tier, tier == Tier.PTU ? 1 : 2, r.location().orElse(""),
        r.keyEnv(), tokensPerMinute, comments);
  }

  private static Optional<String> skipReason(DiscoveredDeployment d) {
    if (!d.state().equalsIgnoreCase("Succeeded")) {
      return Optional.of("provisioning state " + d.state() + ", not Succeeded");
    }
    if (!d.format().isEmpty() && !d.format().equalsIgnoreCase("OpenAI")) {
      return Optional.of("model format " + d.format() + " is not served on the Azure OpenAI endpoint");
    }
    if (d.sku().isPresent() && AzureSku.of(d.sku().get()) == AzureSku.BATCH) {
      return Optional.of("SKU " + d.sku().get() + " takes batch jobs only");
    }
    return Optional.empty();
  }

  /** True when every resource has a region and no two share one. */
  private static boolean regionsNameResources(List<DiscoveredResource> resources) {
    Set<String> regions = new LinkedHashSet<>();
    for (DiscoveredResource r : resources) {
      if (r.location().isEmpty() || !regions.add(r.location().get().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  private static String uniqueId(String base, Set<String> taken) {
    String id = base;
    for (int n = 2; !taken.add(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  /** Letters, digits, {@code .}, {@code _} and {@code -}; anything else becomes {@code -}. */
  static String sanitize(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "-");
  }

  private static String thousands(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
