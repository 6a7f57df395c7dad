package dev.spillway.core.chargeback;

import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.ledger.PromptCacheTotals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a {@link PromptCacheReport} from the ledger's prompt-cache sums and the cost model. Pure and stateless.
 *
 * <p>Money: the provider bills a cached prompt token at the model's {@code cachedInput} price instead of its {@code
 * input} price, so each group saved {@code cached tokens of its PAYG requests × (input − cachedInput) ÷ 1000}, never
 * less than 0 (a price list with a dearer cached price saves nothing). Cached tokens a PTU deployment served save
 * capacity, not money: they count in the shares, not in the savings. The groups' exact savings are rounded together
 * by the largest-remainder method, as the chargeback report's PAYG costs are.
 */
public final class PromptCacheCalculator {
  private PromptCacheCalculator() {}

  /** The report of {@code usage} (the ledger's sums over {@code period}) by {@code by} and model. */
  public static PromptCacheReport report(
      List<PromptCacheTotals> usage, CostsConfig costs, ReportPeriod period, ReportDimension by) {
    if (!ReportRequest.PROMPT_CACHE_DIMENSIONS.contains(by)) {
      throw new IllegalArgumentException("the prompt-cache report is by consumer or team, not " + by.id());
    }
    Map<Group, Sums> groups = new TreeMap<>(Group.ORDER);
    Map<Group, BigDecimal> savedExact = new TreeMap<>(Group.ORDER);
    TreeSet<String> unpriced = new TreeSet<>();
    for (PromptCacheTotals u : usage) {
      Group g = new Group(orNone(by == ReportDimension.CONSUMER ? u.consumer() : u.team()), orNone(u.model()));
      groups.computeIfAbsent(g, k -> new Sums()).add(u);
      if (u.paygCachedTokens() == 0) {
        continue;
      }
      Optional<PaygPrice> price = costs.paygPrice(u.model());
      if (price.isPresent()) {
        savedExact.merge(g, saved(u.paygCachedTokens(), price.get()), BigDecimal::add);
      } else {
        unpriced.add(u.model());
      }
    }
    Map<Group, BigDecimal> saved = LargestRemainder.rounded(savedExact, ChargebackCalculator.COST_SCALE);
    BigDecimal zero = BigDecimal.ZERO.setScale(ChargebackCalculator.COST_SCALE);

    List<PromptCacheRow> rows = new ArrayList<>();
    Sums all = new Sums();
    BigDecimal savedTotal = zero;
    for (Map.Entry<Group, Sums> e : groups.entrySet()) {
      BigDecimal s = saved.getOrDefault(e.getKey(), zero);
      rows.add(e.getValue().row(e.getKey().key(), e.getKey().model(), s));
      all.add(e.getValue());
      savedTotal = savedTotal.add(s);
    }
    return new PromptCacheReport(period, by, costs.currency(), rows, all.row(ReportRow.TOTAL, "", savedTotal),
        List.copyOf(unpriced));
  }

  /** What {@code cachedTokens} saved at {@code price}, exactly; never negative. */
  public static BigDecimal saved(long cachedTokens, PaygPrice price) {
    BigDecimal perThousand = price.inputPer1k().subtract(price.cachedInputPer1k()).max(BigDecimal.ZERO);
    return BigDecimal.valueOf(cachedTokens).multiply(perThousand).movePointLeft(3);
  }

  private static String orNone(String key) {
    return key.isEmpty() ? ReportRow.NONE : key;
  }

  /** A row's identity: the caller and the model. */
  private record Group(String key, String model) {
    static final Comparator<Group> ORDER = Comparator.comparing(Group::key, ChargebackCalculator.ORDER)
        .thenComparing(Group::model, ChargebackCalculator.ORDER);
  }

  /** A group's sums while they are being added up. */
  private static final class Sums {
    long requests;
    long promptTokens;
    long cachedTokens;
    long longPrompts;
    long prefixPairs;
    long stablePairs;

    void add(PromptCacheTotals u) {
      requests += u.requests();
      promptTokens += u.promptTokens();
      cachedTokens += u.cachedTokens();
      longPrompts += u.longPrompts();
      prefixPairs += u.prefixPairs();
      stablePairs += u.stablePairs();
    }

    void add(Sums s) {
      requests += s.requests;
      promptTokens += s.promptTokens;
      cachedTokens += s.cachedTokens;
      longPrompts += s.longPrompts;
      prefixPairs += s.prefixPairs;
      stablePairs += s.stablePairs;
    }

    PromptCacheRow row(String key, String model, BigDecimal saved) {
      return new PromptCacheRow(key, model, requests, promptTokens, cachedTokens, longPrompts, prefixPairs,
          stablePairs, saved);
    }
  }
}
