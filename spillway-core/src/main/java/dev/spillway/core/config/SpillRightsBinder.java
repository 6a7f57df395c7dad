package dev.spillway.core.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds spill rights: {@code payg} and {@code paygBudget} on a consumer and on each team of the top-level {@code
 * teams:} section. Its own class because a budget is only as good as the prices it counts with: once {@code costs} is
 * bound, {@link #checkPrices} reports a budget that could never be reached (no PAYG prices at all, or a model its
 * owner may use through PAYG that has no price, whose spend would silently not count). One instance per load; not
 * thread-safe.
 */
final class SpillRightsBinder {
  static final List<String> RIGHTS_KEYS = List.of("payg", "paygBudget");
  static final List<String> BUDGET_KEYS = List.of("day", "week", "month");
  private static final String[] PAYG_CHOICES = {"allow", "deny"};

  /** Where a budget was set, and whose it is: a consumer's id or a team's name. */
  private record Budgeted(int line, String path, boolean team, String owner) {
    String describe() {
      return (team ? "team " : "consumer ") + owner;
    }
  }

  private final ScalarReader read;
  private final List<Budgeted> budgets = new ArrayList<>();

  SpillRightsBinder(ScalarReader read) {
    this.read = read;
  }

  /**
   * A consumer's {@code payg} and {@code paygBudget}; {@link SpillRights#NONE} when it sets neither (or they had
   * problems, which are reported).
   *
   * @param owner the consumer's id, for the price check's messages
   */
  SpillRights bindConsumer(YamlNode.Mapping consumer, String path, String owner) {
    return bind(consumer, path, false, owner);
  }

  /** The {@code teams:} section: team name to its rules, in file order; empty when absent. */
  Map<String, TeamConfig> bindTeams(YamlNode.Mapping root) {
    Map<String, TeamConfig> teams = new LinkedHashMap<>();
    read.section(root, "teams").ifPresent(section -> section.entries().forEach((name, entry) -> {
      String path = ConfigBinder.child("teams", name);
      if (name.isBlank()) {
        read.problem(entry.keyLine(), path, "a team name must not be empty");
        return;
      }
      read.mapping(entry.value(), path, "a mapping with payg and paygBudget, for example { payg: deny }")
          .ifPresent(m -> {
            read.checkKeys(m, path, RIGHTS_KEYS);
            teams.put(name, new TeamConfig(name, bind(m, path, true, name)));
          });
    }));
    return teams;
  }

  /**
   * Reports every budget whose spend could not be counted in full: when {@code costs.payg} is empty, or when its
   * owner may use a model that has a PAYG backend but no PAYG price (a team's models are those its consumers in the
   * file may use).
   *
   * @param models the models that bound cleanly (a broken one is reported already and skipped here)
   */
  void checkPrices(Map<String, ModelConfig> models, List<ConsumerConfig> consumers, CostsConfig costs) {
    for (Budgeted b : budgets) {
      if (costs.payg().isEmpty()) {
        read.problem(b.line(), b.path(),
            "needs PAYG prices to count spend against: set costs.payg for the models " + b.describe()
                + " uses (without a price no request would ever count toward this budget)");
        continue;
      }
      List<String> globs = new ArrayList<>();
      for (ConsumerConfig c : consumers) {
        if (b.team() ? c.team().equals(b.owner()) : c.id().equals(b.owner())) {
          globs.addAll(c.models());
        }
      }
      Set<String> unpriced = new LinkedHashSet<>();
      models.forEach((name, model) -> {
        boolean hasPayg = model.backends().stream().anyMatch(backend -> backend.tier() == Tier.PAYG);
        boolean used = globs.stream().anyMatch(glob -> ConsumerConfig.globMatches(glob, name));
        if (hasPayg && used && costs.paygPrice(name).isEmpty()) {
          unpriced.add(name);
        }
      });
      if (!unpriced.isEmpty()) {
        read.problem(b.line(), b.path(),
            b.describe() + " may use PAYG for " + String.join(", ", unpriced)
                + ", which has no price under costs.payg, so that spend would not count toward this budget; add "
                + String.join(", ", unpriced.stream().map(m -> "costs.payg." + m).toList()));
      }
    }
  }

  private SpillRights bind(YamlNode.Mapping m, String path, boolean team, String owner) {
    int before = read.problemCount();
    boolean allowed = read.scalar(m, "payg", path)
        .flatMap(v -> read.choice(v, PAYG_CHOICES, choice -> choice))
        .map("allow"::equals)
        .orElse(true);
    Map<BudgetPeriod, BigDecimal> budget = new EnumMap<>(BudgetPeriod.class);
    String budgetPath = ConfigBinder.child(path, "paygBudget");
    read.section(m, "paygBudget", path).ifPresent(b -> {
      read.checkKeys(b, budgetPath, BUDGET_KEYS);
      for (BudgetPeriod period : BudgetPeriod.values()) {
        read.scalar(b, period.id(), budgetPath).flatMap(read::amount).filter(amount -> {
          if (amount.signum() > 0) {
            return true;
          }
          read.problem(b.entries().get(period.id()).keyLine(), ConfigBinder.child(budgetPath, period.id()),
              "must be more than 0 (to close PAYG write payg: deny)");
          return false;
        }).ifPresent(amount -> budget.put(period, amount));
      }
      if (b.entries().isEmpty()) {
        read.problem(m.entries().get("paygBudget").keyLine(), budgetPath,
            "must set at least one of day, week, month, for example { month: 500 }");
      }
    });
    if (read.problemCount() != before) {
      return SpillRights.NONE;
    }
    if (!budget.isEmpty()) {
      budgets.add(new Budgeted(m.entries().get("paygBudget").keyLine(), budgetPath, team, owner));
    }
    return new SpillRights(allowed, budget);
  }
}
