package dev.spillway.core.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@code costs:}: {@code currency}, {@code ptu} (backend id to monthly price; each must be a PTU backend), {@code
 * payg} (model name to {@code input}, {@code output} and optional {@code cachedInput} prices per 1k tokens) and {@code
 * ptuUnitMonthly} (one PTU for a month, for capacity planning).
 * Amounts are read exactly as decimals, never through a double.
 */
final class CostsBinder {
  static final List<String> COSTS_KEYS = List.of("currency", "ptu", "payg", "ptuUnitMonthly");
  static final List<String> PAYG_KEYS = List.of("input", "output", "cachedInput");

  private final ScalarReader read;

  CostsBinder(ScalarReader read) {
    this.read = read;
  }

  /**
   * @param m the {@code costs} section
   * @param root the whole document: backend ids, their tiers and model names are read from what it declares, not
   *     from the bound models, so a model with a problem of its own (an unset environment variable) does not also
   *     make its prices "unknown"
   */
  CostsConfig bind(YamlNode.Mapping m, YamlNode.Mapping root) {
    String path = "costs";
    read.checkKeys(m, path, COSTS_KEYS);
    String currency = read.scalar(m, "currency", path).flatMap(read::nonBlank).orElse(CostsConfig.NONE.currency());
    Map<String, String> tiers = new LinkedHashMap<>();
    Map<String, YamlNode> models = root.entries().get("models") != null
        && root.entries().get("models").value() instanceof YamlNode.Mapping declared
        ? declaredBackends(declared, tiers) : Map.of();
    Map<String, BigDecimal> ptu = new LinkedHashMap<>();
    read.section(m, "ptu", path).ifPresent(p -> p.entries().forEach((id, entry) -> {
      String at = ConfigBinder.child("costs.ptu", id);
      String tier = tiers.get(id);
      if (tier == null) {
        read.problem(entry.keyLine(), at, "no backend has id \"" + id + "\"" + (tiers.isEmpty() ? "" : "; backends: " + String.join(", ", tiers.keySet())));
      } else if (tier.equalsIgnoreCase(Tier.PAYG.id())) {
        read.problem(entry.keyLine(), at, "backend \"" + id + "\" is not tier ptu; PAYG costs go under costs.payg by model");
      } else if (!ScalarReader.isNull(entry.value())) {
        read.value(entry.value(), entry.keyLine(), at).flatMap(read::amount).ifPresent(a -> ptu.put(id, a));
      }
    }));
    Map<String, PaygPrice> payg = new LinkedHashMap<>();
    read.section(m, "payg", path).ifPresent(p -> p.entries().forEach((model, entry) -> {
      String at = ConfigBinder.child("costs.payg", model);
      if (!models.containsKey(model)) {
        read.problem(entry.keyLine(), at, "no model is named \"" + model + "\"");
        return;
      }
      read.mapping(entry.value(), at, "a mapping with input and output prices per 1k tokens")
          .flatMap(prices -> price(prices, at))
          .ifPresent(price -> payg.put(model, price));
    }));
    Optional<BigDecimal> unit = read.scalar(m, "ptuUnitMonthly", path).flatMap(read::amount);
    return new CostsConfig(currency, ptu, payg, unit);
  }

  /**
   * Fills {@code tiers} with every backend id declared under {@code models} and its tier as written (empty when it
   * has none), and returns the declared models by name.
   */
  private static Map<String, YamlNode> declaredBackends(YamlNode.Mapping models, Map<String, String> tiers) {
    Map<String, YamlNode> byName = new LinkedHashMap<>();
    models.entries().forEach((name, entry) -> {
      byName.put(name, entry.value());
      if (entry.value() instanceof YamlNode.Mapping model
          && model.entries().get("backends") != null
          && model.entries().get("backends").value() instanceof YamlNode.Sequence backends) {
        for (YamlNode item : backends.items()) {
          // An empty id or tier (YAML null) is the backend binder's problem to report; here it is just not a name.
          if (item instanceof YamlNode.Mapping b
              && b.entries().get("id") != null
              && b.entries().get("id").value() instanceof YamlNode.Scalar id
              && id.text() != null) {
            YamlNode.Entry tier = b.entries().get("tier");
            tiers.put(id.text().strip(),
                tier != null && tier.value() instanceof YamlNode.Scalar t && t.text() != null ? t.text().strip() : "");
          }
        }
      }
    });
    return byName;
  }

  private Optional<PaygPrice> price(YamlNode.Mapping m, String path) {
    int before = read.problemCount();
    read.checkKeys(m, path, PAYG_KEYS);
    Optional<BigDecimal> input = read.requiredScalar(m, "input", path).flatMap(read::amount);
    Optional<BigDecimal> output = read.requiredScalar(m, "output", path).flatMap(read::amount);
    Optional<BigDecimal> cached = read.scalar(m, "cachedInput", path).flatMap(read::amount);
    if (read.problemCount() != before || input.isEmpty() || output.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PaygPrice(input.get(), output.get(), cached.orElse(null)));
  }
}
