package dev.spillway.core.routing;

import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.routing.station.SpillReason;
import java.util.BitSet;
import java.util.Optional;

/**
 * One client request's passage through its pool: which backends it tried, how long it waited for
 * PTU, its deadline, its estimated cost and its session key. Not thread-safe: it belongs to one
 * request, handled on one thread at a time.
 */
public final class AttemptCycle {
  private final BitSet tried;
  private final long deadlineNanos;
  private final long estimatedCostTokens;
  private final Optional<String> affinityKey;
  private final PriorityClass priority;
  private int attempts;
  private long waitedNanos;
  private int waits;
  // The station's marks. Written and read under the station's lock (a waiter is read by other requests' threads).
  private boolean metStation;
  private long stationSeq;
  private long stationBudgetEndNanos;
  private boolean releasedByStation;
  private boolean stationDone;
  private boolean inStationQueue;
  private SpillReason spilledBy;
  private volatile Runnable wakeHook;
  private String paygDenied;
  private BackendState boundTo;
  private boolean azureSpilloverTried;
  private long expectedWaitNanos = -1;

  AttemptCycle(
      int poolSize, long deadlineNanos, long estimatedCostTokens, Optional<String> affinityKey, PriorityClass priority) {
    this.tried = new BitSet(poolSize);
    this.deadlineNanos = deadlineNanos;
    this.estimatedCostTokens = estimatedCostTokens;
    this.affinityKey = affinityKey;
    this.priority = priority;
  }

  public boolean tried(BackendState backend) {
    return tried.get(backend.poolIndex());
  }

  public void record(BackendState backend) {
    tried.set(backend.poolIndex());
    attempts++;
  }

  /** After waiting for a backend, it may be tried again in this cycle. */
  void forgetTried(BackendState backend) {
    tried.clear(backend.poolIndex());
  }

  void recordWait(long nanos) {
    waitedNanos += nanos;
    waits++;
  }

  public int attempts() {
    return attempts;
  }

  public long waitedNanos() {
    return waitedNanos;
  }

  public int waits() {
    return waits;
  }

  public long deadlineNanos() {
    return deadlineNanos;
  }

  public long estimatedCostTokens() {
    return estimatedCostTokens;
  }

  public Optional<String> affinityKey() {
    return affinityKey;
  }

  /** The request's class: its place in the station's queue and its wait budget. */
  public PriorityClass priority() {
    return priority;
  }

  /**
   * What to run when the station wants this waiting request to ask again before its timer fires (it became the head,
   * or its wait outgrew its budget). Called on whatever thread changed the station; the hook hands over to the
   * request's own thread.
   */
  public void onWake(Runnable hook) {
    this.wakeHook = hook;
  }

  void wake() {
    Runnable hook = wakeHook;
    if (hook != null) {
      hook.run();
    }
  }

  /**
   * Closes pay-as-you-go to this request: the router never sends it to a PAYG backend, and when the PTUs cannot take
   * it, it ends instead of spilling.
   *
   * @param why the sentence the client's error gives as the reason
   */
  public void denyPayg(String why) {
    this.paygDenied = java.util.Objects.requireNonNull(why, "why");
  }

  /**
   * Binds the request to one backend: the one that holds the object it names (a stored response). The router then
   * sends it there or nowhere — it may wait for that backend, but never spills (see {@link Router}).
   */
  public void bindTo(BackendState backend) {
    this.boundTo = java.util.Objects.requireNonNull(backend, "backend");
  }

  /** The backend this request is bound to; null when the pool routes it freely. */
  public BackendState boundTo() {
    return boundTo;
  }

  /** Why PAYG is closed to this request, when it is. */
  public Optional<String> paygDenied() {
    return Optional.ofNullable(paygDenied);
  }

  boolean azureSpilloverTried() {
    return azureSpilloverTried;
  }

  void azureSpilloverTried(boolean tried) {
    this.azureSpilloverTried = tried;
  }

  /** The admission time the station last expected for this request, in nanos; -1 when it computed none. */
  public long expectedWaitNanos() {
    return expectedWaitNanos;
  }

  void expectedWaitNanos(long nanos) {
    this.expectedWaitNanos = nanos;
  }

  /** Why the station spilled this request to PAYG, if it did. */
  public Optional<SpillReason> spilledBy() {
    return Optional.ofNullable(spilledBy);
  }

  void spilledBy(SpillReason reason) {
    this.spilledBy = reason;
  }

  boolean metStation() {
    return metStation;
  }

  void metStation(long seq, long budgetEndNanos) {
    this.metStation = true;
    this.stationSeq = seq;
    this.stationBudgetEndNanos = budgetEndNanos;
  }

  long stationSeq() {
    return stationSeq;
  }

  long stationBudgetEndNanos() {
    return stationBudgetEndNanos;
  }

  /** True between the station letting this request go to a PTU and its next choice (a refusal brings it back). */
  boolean releasedByStation() {
    return releasedByStation;
  }

  void releasedByStation(boolean released) {
    this.releasedByStation = released;
  }

  boolean inStationQueue() {
    return inStationQueue;
  }

  void inStationQueue(boolean queued) {
    this.inStationQueue = queued;
  }

  /** The station has had its say on this request: later choices go by the usual selection. */
  boolean stationDone() {
    return stationDone;
  }

  void stationDone(boolean done) {
    this.stationDone = done;
  }
}
