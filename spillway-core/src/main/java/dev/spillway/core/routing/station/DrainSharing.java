package dev.spillway.core.routing.station;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The rules of sharing learned drain rates between replicas: what a replica publishes, and what a replica whose model
 * is cold starts from. Pure functions of (model, what is known, now).
 *
 * <h2>What the shared quantity is</h2>
 *
 * A replica learns a rate from its own sends: between two refusals of one saturated stretch the deployment took
 * exactly what was sent to it, and the model counts only what <em>this</em> replica sent. With N replicas in front of
 * one PTU, each sees only its own share of the completions, so what each learns is its share of the drain, not the
 * deployment's total. That is also the right quantity for the replica itself: its room is kept from its own sends, and
 * its station's queue is drained only by its own releases, so "my queue ahead of you ÷ my share of the drain" is the
 * wait a request here will see. A replica therefore keeps its own share-rate and never adopts another's once it has
 * measured its own.
 *
 * <p>A replica that has measured nothing (just started, or the deployment is new after a reload) needs its share to
 * start from. The deployment's total is the sum of the fresh shares others published; with this replica joining them,
 * its share is that total over (the number of those replicas + 1) — it assumes the load balancer spreads requests
 * evenly. This is a seed: the replica's next measurement moves it (see {@link DrainModel#throttled}), and the others'
 * rates, which still include the share the newcomer now takes, fall back to their true shares with their next
 * refusals. Only fresh estimates count. Each rests on at least one measurement of its replica's own (a seed is never
 * published back, so estimates do not echo); one is enough to seed from: the deployment's refusals are rare once a
 * replica paces well (an accurate model avoids them), so waiting for more would leave a new replica cold for long, and
 * a measurement that is low (a pause inside the stretch) errs on the side of spilling, not of refusals.
 *
 * <p>A declared rate ({@code capacity.tokensPerMinute}) is neither published nor replaced: it is the operator's word.
 * It is the deployment's total, so with N replicas each one paces by the whole of it: while the PTU is saturated their
 * stations' wait estimates are optimistic by up to N times, and the PTU's refusals (which every replica hears through
 * the shared throttles) are what bring them back in step. Dividing a declared rate by the replicas seen here would
 * hold the PTU back whenever the load is not spread evenly, so it is not done.
 */
public final class DrainSharing {
  /** An estimate older than this is ignored: its replica stopped, or stopped hearing from the deployment. */
  public static final long FRESH_MILLIS = 60_000;
  /** An unchanged estimate is published again this often, so the others keep counting its replica. */
  public static final long REPUBLISH_MILLIS = 20_000;
  /** A change smaller than this share of the last published rate is not worth a message. */
  public static final double MATERIAL_CHANGE = 0.05;

  private DrainSharing() {}

  /**
   * What a replica should publish of {@code model} now, if anything: its own learned rate, when it has one and the
   * last published one is missing, stale for {@link #REPUBLISH_MILLIS}, or off by more than {@link #MATERIAL_CHANGE}.
   */
  public static Optional<DrainEstimate> toPublish(DrainModel model, Optional<DrainEstimate> last, long nowMillis) {
    if (model.rateDeclared() || !model.hasRate() || model.rateSamples() < 1) {
      return Optional.empty();
    }
    double rate = model.tokensPerMinute();
    if (last.isPresent()) {
      DrainEstimate was = last.get();
      boolean recent = nowMillis - was.atEpochMillis() < REPUBLISH_MILLIS;
      boolean same = Math.abs(rate - was.tokensPerMinute()) <= MATERIAL_CHANGE * was.tokensPerMinute();
      if (recent && same) {
        return Optional.empty();
      }
    }
    return Optional.of(new DrainEstimate(rate, model.rateSamples(), nowMillis));
  }

  /**
   * The rate (tokens per nanosecond) a cold model of replica {@code self} should start from, given every replica's
   * published estimate: the fresh estimates' sum over their number plus one; empty when none is fresh.
   */
  public static OptionalDouble seedTokensPerNano(Map<String, DrainEstimate> published, String self, long nowMillis) {
    double total = 0;
    int replicas = 0;
    for (Map.Entry<String, DrainEstimate> e : published.entrySet()) {
      DrainEstimate estimate = e.getValue();
      long age = nowMillis - estimate.atEpochMillis();
      if (e.getKey().equals(self) || Math.abs(age) > FRESH_MILLIS) {
        continue; // a clock a little ahead gives a small negative age: still fresh; far ahead, not to be trusted
      }
      total += estimate.tokensPerMinute();
      replicas++;
    }
    if (replicas == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(total / (replicas + 1) / 60e9);
  }
}
