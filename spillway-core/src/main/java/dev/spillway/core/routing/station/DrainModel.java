package dev.spillway.core.routing.station;

/**
 * What the gateway knows of one PTU deployment's capacity: how fast it drains (tokens per nanosecond) and, while it
 * is saturated, how much room it has. A value: every event returns a new model.
 *
 * <h2>Why a model at all</h2>
 *
 * A provisioned deployment admits work like a leaky bucket: what it takes drains at its throughput, and a request is
 * refused while it does not fit. The deployment says so in three ways, and each one fixes part of the picture:
 *
 * <ul>
 *   <li>a {@code 429} with {@code retry-after-ms = w} for a request of cost {@code c}: at the refusal, the room was
 *       {@code c − rate·w} (negative: a debt), because after {@code w} exactly that request fits;
 *   <li>{@code x-ratelimit-remaining-tokens = n}: the room is {@code n};
 *   <li>the drain rate itself: declared ({@code capacity.tokensPerMinute}), or learned from two refusals of one
 *       saturated stretch — between the moments they named, the deployment took exactly what was sent to it, so the
 *       rate is those tokens over that time.
 * </ul>
 *
 * From then on the model keeps the room current — it grows at the rate, and every request sent takes its cost — so
 * the station can say when a queued request will fit, and release the queue one fitting request at a time instead of
 * letting every waiter find out with a 429. Once the room has grown past {@link #CONFIDENT_ROOM_NANOS} of drain (or
 * two requests' worth, if that is more), the deployment has left saturation and the model forgets the room ({@link #known} false): the router sends freely
 * again, and the next refusal puts the model back in step. The model never guesses the bucket's size, so it never
 * holds back a deployment that has burst room it has not been told about.
 *
 * <p>Costs are the gateway's estimates (prompt + expected output), which can differ from what the deployment charges
 * (its tokenizer's count of the message framing, say). Pacing by an estimate that is short by a few percent would send
 * every release a little early, into a refusal; so the model keeps a {@code costScale}: a refusal of a request the
 * model said would fit measures the true cost exactly (the room it had, plus the drain the retry hint names), and the
 * scale moves toward that ratio plus {@link #SCALE_MARGIN} (so that a timer firing to the nanosecond is not early by a
 * rounding), by at most a quarter per refusal. Only while the deployment has been saturated since the last refusal:
 * after a pause the model's room may have grown past what the deployment's bucket holds (its size is not known), and
 * that refusal says so, not that requests cost more. The scale only grows: an estimate that is high costs the deployment that share of its utilization, and
 * the station's drain and offered-load metrics show it.
 *
 * @param tokensPerNano the drain rate; 0 when not known yet
 * @param rateDeclared true when the rate came from the config (then it is never re-learned)
 * @param known true while the room below is in step with the deployment
 * @param roomTokens the room at {@code atNanos} (negative: tokens still to drain before anything fits)
 * @param atNanos ticker reading of {@code roomTokens}
 * @param freeAtNanos when the last refusal said its request would fit; {@link Long#MIN_VALUE} before any
 * @param sentSinceFreeAt tokens sent since that refusal, for learning the rate
 * @param costScale what the deployment charges per estimated token
 * @param lastCostTokens the (scaled) cost of the last request sent or refused: how big "a request" is
 * @param peakRoomTokens the most room the model saw since the last refusal: above a request's worth, the deployment
 *     had a pause, and its room may have been capped by its bucket's size, which the model does not know
 * @param rateSamples how many measurements the learned rate rests on: 0 for a declared rate, one not known yet, or
 *     one {@linkplain #seeded seeded} from other replicas and not measured here since
 */
public record DrainModel(
    double tokensPerNano,
    boolean rateDeclared,
    boolean known,
    double roomTokens,
    long atNanos,
    long freeAtNanos,
    double sentSinceFreeAt,
    double costScale,
    double lastCostTokens,
    double peakRoomTokens,
    int rateSamples) {

  /** The model forgets the room once this much drain has accumulated beyond what was sent: saturation is over. */
  public static final long CONFIDENT_ROOM_NANOS = 1_000_000_000L;
  /** A learned rate moves this far toward each new measurement. */
  static final double LEARNING_WEIGHT = 0.3;
  /** A saturated deployment reporting less than this is not saturated: the model is too cautious. */
  public static final double UNDERUSED_PERCENT = 90;
  /** Added to a measured cost scale. */
  static final double SCALE_MARGIN = 0.005;
  static final double MIN_SCALE = 0.5;
  static final double MAX_SCALE = 4;

  /**
   * A deployment nothing has been learned of yet.
   *
   * @param declaredTokensPerMinute the configured capacity, or 0 when none is declared
   */
  public static DrainModel initial(long declaredTokensPerMinute) {
    return new DrainModel(
        declaredTokensPerMinute > 0 ? declaredTokensPerMinute / 60e9 : 0,
        declaredTokensPerMinute > 0,
        false,
        0,
        0,
        Long.MIN_VALUE,
        0,
        1,
        0,
        0,
        0);
  }

  /** The drain rate is known (declared or learned). */
  public boolean hasRate() {
    return tokensPerNano > 0;
  }

  /** Tokens per minute, 0 when unknown: for display. */
  public double tokensPerMinute() {
    return tokensPerNano * 60e9;
  }

  /** The room at {@code nowNanos} while the model is in step; meaningless otherwise. */
  public double roomAt(long nowNanos) {
    return roomTokens + tokensPerNano * Math.max(0, nowNanos - atNanos);
  }

  /** True while the model knows the room at {@code nowNanos}: saturation has not ended. */
  public boolean knownAt(long nowNanos) {
    return known && hasRate() && roomAt(nowNanos) < Math.max(tokensPerNano * CONFIDENT_ROOM_NANOS, 2 * lastCostTokens);
  }

  /** True unless the model knows the deployment has no room for {@code costTokens} now. */
  public boolean fits(long costTokens, long nowNanos) {
    return !knownAt(nowNanos) || roomAt(nowNanos) >= costTokens * costScale;
  }

  /**
   * When {@code tokens} will have fitted, from now: 0 when they fit now or the room is not known, else the drain time
   * of the shortfall. Long.MAX_VALUE when the room is known to be short but the rate is not.
   */
  public long nanosUntilFits(double tokens, long nowNanos) {
    if (!known) {
      return 0;
    }
    if (!hasRate()) {
      return Long.MAX_VALUE;
    }
    double shortfall = tokens * costScale - roomAt(nowNanos);
    return shortfall <= 0 ? 0 : (long) Math.ceil(shortfall / tokensPerNano);
  }

  /** A request of {@code costTokens} went to the deployment. */
  public DrainModel sent(long costTokens, long nowNanos) {
    double cost = costTokens * costScale;
    double sentSince = freeAtNanos == Long.MIN_VALUE ? 0 : sentSinceFreeAt + cost;
    if (!knownAt(nowNanos)) {
      return new DrainModel(tokensPerNano, rateDeclared, false, 0, nowNanos, freeAtNanos, sentSince, costScale, cost, 0,
          rateSamples);
    }
    double room = roomAt(nowNanos);
    return new DrainModel(tokensPerNano, rateDeclared, true, room - cost, nowNanos, freeAtNanos, sentSince, costScale,
        cost, Math.max(peakRoomTokens, room), rateSamples);
  }

  /**
   * The deployment refused a request of {@code costTokens} ({@code sent} already counted it) and said it fits after
   * {@code retryNanos}.
   */
  public DrainModel throttled(long costTokens, long retryNanos, long nowNanos) {
    long freeAt = nowNanos + Math.max(0, retryNanos);
    double rate = tokensPerNano;
    double scale = costScale;
    double charged = costTokens * costScale; // what sent() took for it
    if (knownAt(nowNanos) && costTokens > 0 && roomAt(nowNanos) >= 0 && peakRoomTokens <= 1.5 * charged) {
      // The model said it fits and the deployment disagreed while it had been saturated since the last refusal (no
      // pause, so no bucket cap to blame): its true cost was the room there was, plus what the deployment must still
      // drain before it fits. One refusal moves the scale by at most a quarter.
      double trueCost = roomAt(nowNanos) + charged + rate * Math.max(0, retryNanos);
      double measured = trueCost / costTokens + SCALE_MARGIN;
      scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min(measured, costScale * 1.25)));
    }
    double sentBetween = sentSinceFreeAt - charged; // the refused request never entered the bucket
    int samples = rateSamples;
    if (!rateDeclared && freeAtNanos != Long.MIN_VALUE && freeAt - freeAtNanos > 0 && sentBetween > 0) {
      double measured = sentBetween / (freeAt - freeAtNanos);
      rate = rate > 0 ? rate + LEARNING_WEIGHT * (measured - rate) : measured;
      samples = rateSamples == Integer.MAX_VALUE ? rateSamples : rateSamples + 1;
    }
    double room = costTokens * scale - rate * Math.max(0, retryNanos);
    return new DrainModel(rate, rateDeclared, rate > 0, room, nowNanos, freeAt, 0, scale, costTokens * scale, room,
        samples);
  }

  /** The deployment reported its utilization: below {@link #UNDERUSED_PERCENT} the model forgets the room. */
  public DrainModel utilization(double percent, long nowNanos) {
    if (!knownAt(nowNanos) || percent >= UNDERUSED_PERCENT) {
      return this;
    }
    return new DrainModel(tokensPerNano, rateDeclared, false, 0, nowNanos, freeAtNanos, sentSinceFreeAt, costScale,
        lastCostTokens, 0, rateSamples);
  }

  /** The deployment said it has {@code tokens} of room left ({@code x-ratelimit-remaining-tokens}). */
  public DrainModel remaining(long tokens, long nowNanos) {
    return new DrainModel(tokensPerNano, rateDeclared, hasRate(), tokens, nowNanos, freeAtNanos, sentSinceFreeAt,
        costScale, lastCostTokens, Math.max(peakRoomTokens, tokens), rateSamples);
  }

  /**
   * A rate other replicas learned of this deployment ({@code SharedDrainRates}), taken only while this model has none:
   * a declared or learned rate, or an earlier seed, is never overridden. The seed is a starting point — the next
   * measurement here moves it, as it would a learned rate — and counts as no sample of this replica's own.
   */
  public DrainModel seeded(double seedTokensPerNano) {
    if (hasRate() || !(seedTokensPerNano > 0) || Double.isInfinite(seedTokensPerNano)) {
      return this;
    }
    return new DrainModel(seedTokensPerNano, false, known, roomTokens, atNanos, freeAtNanos, sentSinceFreeAt, costScale,
        lastCostTokens, peakRoomTokens, 0);
  }
}
