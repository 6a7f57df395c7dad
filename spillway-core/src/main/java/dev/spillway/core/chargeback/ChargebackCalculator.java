package dev.spillway.core.chargeback;

import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.UsageTotals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a {@link ChargebackReport} from the ledger's sums and the cost model. Pure and stateless; safe from any
 * thread.
 *
 * <p>PTU: each priced deployment's monthly price is {@linkplain ReportPeriod#amortize amortized} over the period and
 * split among the groups in proportion to the tokens (prompt + completion) each sent through it and it served itself
 * (rows of tier {@code ptu}: a row Azure's own spillover passed to a standard deployment carries the PTU's backend id
 * but tier {@code payg}, and is priced as PAYG below); a deployment that
 * served no tokens puts its whole cost on the {@link ReportRow#UNUSED_PTU} row. PAYG: a ledger row of tier {@code
 * payg} costs {@code ((prompt − cached) × input + cached × cachedInput + completion × output) ÷ 1000} at its
 * model's price, exactly; the groups' exact sums are then rounded together so they add up to the exact total
 * rounded once. Both splits use the largest-remainder method, so no unit of currency appears or disappears.
 *
 * <p>Response-cache savings: a hit of the gateway's cache spent no tokens; its row carries the tokens the stored answer
 * cost when the backend made it. What it saved is priced at its model's PAYG price, {@code (saved prompt × input +
 * saved completion × output) ÷ 1000}, whichever tier made the answer and whichever would have served the repeat: the
 * list price is what the tokens cost at the margin (on PTU they free capacity that would otherwise spill), and no
 * provider prompt cache is assumed for the repeat. The groups' exact savings are rounded together as the PAYG costs
 * are. They are reported beside the costs, never subtracted from them; a model without a PAYG price saves 0 and is
 * listed with the unpriced models.
 */
public final class ChargebackCalculator {
  /** Decimals of every amount in a report. */
  public static final int COST_SCALE = 6;

  private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(COST_SCALE);

  private ChargebackCalculator() {}

  /**
   * The report of {@code usage} (the ledger's sums over {@code period}) grouped by {@code by}, priced with {@code
   * costs}.
   */
  public static ChargebackReport report(
      List<UsageTotals> usage, CostsConfig costs, ReportPeriod period, ReportDimension by) {
    Map<String, Counts> groups = new TreeMap<>(ORDER);
    for (UsageTotals u : usage) {
      groups.computeIfAbsent(groupOf(u, by), k -> new Counts()).add(u);
    }

    Map<String, BigDecimal> ptuCost = new TreeMap<>(ORDER);
    List<PtuCharge> ptu = new ArrayList<>();
    costs.ptuMonthly().forEach((backend, monthly) -> {
      BigDecimal periodCost = period.amortize(monthly, COST_SCALE);
      Map<String, Long> tokens = new TreeMap<>(ORDER);
      for (UsageTotals u : usage) {
        // Only what the PTU served itself: a row its own spillover passed to PAYG has this backend but tier payg.
        if (u.backend().equals(backend) && u.tier().equals(Tier.PTU.id()) && u.totalTokens() > 0) {
          tokens.merge(groupOf(u, by), u.totalTokens(), Long::sum);
        }
      }
      long used = tokens.values().stream().mapToLong(Long::longValue).sum();
      ptu.add(new PtuCharge(backend, monthly, periodCost, used));
      if (used == 0) {
        groups.computeIfAbsent(ReportRow.UNUSED_PTU, k -> new Counts());
        ptuCost.merge(ReportRow.UNUSED_PTU, periodCost, BigDecimal::add);
      } else {
        LargestRemainder.byWeight(periodCost, COST_SCALE, tokens).forEach((g, c) -> ptuCost.merge(g, c, BigDecimal::add));
      }
    });

    Map<String, BigDecimal> paygExact = new TreeMap<>(ORDER);
    TreeSet<String> unpriced = new TreeSet<>();
    for (UsageTotals u : usage) {
      if (!u.tier().equals(Tier.PAYG.id())) {
        continue;
      }
      Optional<PaygPrice> price = costs.paygPrice(u.model());
      if (price.isPresent()) {
        paygExact.merge(groupOf(u, by), paygCost(u, price.get()), BigDecimal::add);
      } else if (u.totalTokens() > 0) {
        unpriced.add(u.model());
      }
    }
    Map<String, BigDecimal> paygCost = LargestRemainder.rounded(paygExact, COST_SCALE);

    Map<String, BigDecimal> savedExact = new TreeMap<>(ORDER);
    for (UsageTotals u : usage) {
      if (u.cache().savedTokens() == 0) {
        continue;
      }
      Optional<PaygPrice> price = costs.paygPrice(u.model());
      if (price.isPresent()) {
        savedExact.merge(groupOf(u, by), savedCost(u, price.get()), BigDecimal::add);
      } else {
        unpriced.add(u.model());
      }
    }
    Map<String, BigDecimal> savedRounded = LargestRemainder.rounded(savedExact, COST_SCALE);

    List<ReportRow> rows = new ArrayList<>();
    Counts all = new Counts();
    BigDecimal ptuTotal = ZERO;
    BigDecimal paygTotal = ZERO;
    BigDecimal savedTotal = ZERO;
    for (Map.Entry<String, Counts> g : groups.entrySet()) {
      Counts c = g.getValue();
      BigDecimal p = ptuCost.getOrDefault(g.getKey(), ZERO);
      BigDecimal q = paygCost.getOrDefault(g.getKey(), ZERO);
      BigDecimal s = savedRounded.getOrDefault(g.getKey(), ZERO);
      rows.add(c.row(g.getKey(), p, q, s));
      all.add(c);
      ptuTotal = ptuTotal.add(p);
      paygTotal = paygTotal.add(q);
      savedTotal = savedTotal.add(s);
    }
    return new ChargebackReport(period, by, costs.currency(), rows,
        all.row(ReportRow.TOTAL, ptuTotal, paygTotal, savedTotal), ptu, List.copyOf(unpriced));
  }

  /**
   * What one ledger sum of PAYG usage costs at {@code price}, exactly (no rounding; see {@link PaygPrice#cost}).
   * Cached tokens are part of the prompt tokens; a ledger that recorded more cached than prompt tokens is charged for
   * the cached ones only.
   */
  public static BigDecimal paygCost(UsageTotals u, PaygPrice price) {
    return price.cost(u.promptTokens(), u.cachedTokens(), u.completionTokens());
  }

  /**
   * What the tokens a response-cache hit saved would have cost at {@code price}, exactly: all prompt tokens at the
   * input price, completion tokens at the output price.
   */
  public static BigDecimal savedCost(UsageTotals u, PaygPrice price) {
    return price.cost(u.cache().savedPromptTokens(), 0, u.cache().savedCompletionTokens());
  }

  private static String groupOf(UsageTotals u, ReportDimension by) {
    String key = by.keyOf(u);
    return key.isEmpty() ? ReportRow.NONE : key;
  }

  /** Keys in natural order, then {@link ReportRow#NONE}, then {@link ReportRow#UNUSED_PTU}. */
  static final Comparator<String> ORDER = Comparator.<String>comparingInt(k -> switch (k) {
        case ReportRow.NONE -> 1;
        case ReportRow.UNUSED_PTU -> 2;
        default -> 0;
      }).thenComparing(Comparator.naturalOrder());

  /** A group's counts while they are being added up. */
  private static final class Counts {
    long requests;
    long failedRequests;
    long promptTokens;
    long completionTokens;
    long cachedTokens;
    long images;
    double audioSeconds;
    long characters;
    UsageTotals.CacheTotals cache = UsageTotals.CacheTotals.NONE;

    void add(UsageTotals u) {
      requests += u.requests();
      failedRequests += u.failedRequests();
      promptTokens += u.promptTokens();
      completionTokens += u.completionTokens();
      cachedTokens += u.cachedTokens();
      images += u.images();
      audioSeconds += u.audioSeconds();
      characters += u.characters();
      cache = cache.plus(u.cache());
    }

    void add(Counts c) {
      requests += c.requests;
      failedRequests += c.failedRequests;
      promptTokens += c.promptTokens;
      completionTokens += c.completionTokens;
      cachedTokens += c.cachedTokens;
      images += c.images;
      audioSeconds += c.audioSeconds;
      characters += c.characters;
      cache = cache.plus(c.cache);
    }

    ReportRow row(String key, BigDecimal ptuCost, BigDecimal paygCost, BigDecimal savedCost) {
      return new ReportRow(key, requests, failedRequests, promptTokens, completionTokens, cachedTokens, images,
          audioSeconds, characters, ptuCost, paygCost, cache, savedCost);
    }
  }
}
