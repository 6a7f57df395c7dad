package dev.spillway.core.chargeback;

import dev.spillway.core.ledger.UsageTotals;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a chargeback report groups its rows by. */
public enum ReportDimension {
  TEAM(UsageTotals::team),
  CONSUMER(UsageTotals::consumer),
  MODEL(UsageTotals::model),
  BACKEND(UsageTotals::backend),
  TIER(UsageTotals::tier),
  /** What was called ({@code chat/completions}, {@code embeddings}, {@code responses}, ...). */
  OPERATION(UsageTotals::operation),
  /**
   * The end user the calling application named ({@code user} in the body, or the configured header); needs the
   * ledger's sums split by end user ({@link dev.spillway.core.ledger.LedgerReader#totalsByEndUser}).
   */
  USER(UsageTotals::endUser);

  private final Function<UsageTotals, String> key;

  ReportDimension(Function<UsageTotals, String> key) {
    this.key = key;
  }

  /** The lower-case name used on the command line, in query strings and in reports ({@code team}, ...). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value of this dimension in one ledger sum; the empty string when the row had none. */
  public String keyOf(UsageTotals totals) {
    return key.apply(totals);
  }

  /** The dimension named {@code id} (case-insensitive), if any. */
  public static Optional<ReportDimension> parse(String id) {
    return Arrays.stream(values()).filter(d -> d.id().equalsIgnoreCase(id.strip())).findFirst();
  }

  /** {@code team|consumer|model|backend|tier|operation|user}, for messages. */
  public static String choices() {
    return Arrays.stream(values()).map(ReportDimension::id).collect(Collectors.joining("|"));
  }
}
