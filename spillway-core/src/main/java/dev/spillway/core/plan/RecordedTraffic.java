package dev.spillway.core.plan;

import dev.spillway.core.chargeback.ReportPeriod;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.RecordedRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Gathers the ledger rows of a period into one {@link ArrivalSeries} per model, as {@link
 * dev.spillway.core.ledger.LedgerReader#requests} streams them. A row is replayed when it names a model and carries
 * tokens; the others (refused before a model was known, or failed before a backend reported usage) are counted as
 * skipped, since their size is unknown. Per model it also keeps the share of tokens the ledger shows PAYG served, to
 * compare the replay with. Not thread-safe: fed by one reading.
 */
public final class RecordedTraffic implements Consumer<RecordedRequest> {
  private final ReportPeriod period;
  private final long periodNanos;
  private final Map<String, ModelTraffic> models = new LinkedHashMap<>();
  private long skipped;

  public RecordedTraffic(ReportPeriod period) {
    this.period = Objects.requireNonNull(period, "period");
    this.periodNanos = Duration.between(period.from(), period.to()).toNanos();
  }

  /** What was recorded for one model. */
  public static final class ModelTraffic {
    private final ArrivalSeries.Builder series;
    private long skipped;
    private long tokens;
    private long paygTokens;

    private ModelTraffic(String model, long periodNanos) {
      this.series = ArrivalSeries.builder(model, periodNanos);
    }

    /** Rows of this model without tokens, not replayed. */
    public long skipped() {
      return skipped;
    }

    /** The share of this model's tokens that the ledger shows PAYG served, 0..1. */
    public double recordedPaygShare() {
      return tokens == 0 ? 0 : (double) paygTokens / tokens;
    }

    /** The replayable requests, in order of arrival; built anew on each call, so call it once. */
    public ArrivalSeries series() {
      return series.build();
    }

    public int requests() {
      return series.size();
    }
  }

  @Override
  public void accept(RecordedRequest row) {
    if (row.model().isEmpty()) {
      skipped++;
      return;
    }
    ModelTraffic traffic = models.computeIfAbsent(row.model(), m -> new ModelTraffic(m, periodNanos));
    if (row.totalTokens() <= 0) {
      traffic.skipped++;
      return;
    }
    long offset = Duration.between(period.from(), row.time()).toNanos();
    if (offset < 0 || offset >= periodNanos) {
      throw new IllegalArgumentException("row at " + row.time() + " is outside " + period.from() + " .. " + period.to());
    }
    traffic.series.add(offset, row.promptTokens(), row.cachedTokens(), row.completionTokens());
    traffic.tokens += row.totalTokens();
    if (Tier.PAYG.id().equals(row.tier())) {
      traffic.paygTokens += row.totalTokens();
    }
  }

  public ReportPeriod period() {
    return period;
  }

  /** Every model that had rows, in order of its first row. */
  public Map<String, ModelTraffic> models() {
    return Collections.unmodifiableMap(models);
  }

  public Optional<ModelTraffic> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** Rows that named no model. */
  public long skippedWithoutModel() {
    return skipped;
  }
}
