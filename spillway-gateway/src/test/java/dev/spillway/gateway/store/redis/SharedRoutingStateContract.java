package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.routing.SessionPinStore;
import dev.spillway.core.routing.station.DrainEstimate;
import dev.spillway.core.routing.station.DrainRateStore;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionPinStore} and {@link DrainRateStore} guarantees; each implementation pair's test extends
 * this class. Every test has a space of its own (an in-process store, or a Redis key prefix), and two members in it —
 * two replicas. Writes may land asynchronously: what a member must see is awaited (at most 10 s); what it must not
 * see is checked once a later write has landed.
 */
abstract class SharedRoutingStateContract {
  /** Where one test's members meet. */
  interface Space extends AutoCloseable {
    SessionPinStore pins();

    DrainRateStore rates();

    @Override
    void close();
  }

  /** A fresh, empty space; called before every test. */
  protected abstract Space newSpace();

  private Space spaceA;
  private Space spaceB;

  /** Two members of one space: {@link #newSpace} is asked once, then {@link #member} for the second. */
  protected abstract Space member(Space of);

  @BeforeEach
  void open() {
    spaceA = newSpace();
    spaceB = member(spaceA);
  }

  @AfterEach
  void close() {
    spaceA.close();
    spaceB.close();
  }

  private static <T> T await(String what, Supplier<T> read, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " not within 10 s; last read " + value);
      }
      Thread.sleep(5);
    }
  }

  private static Optional<String> find(SessionPinStore store, String id) {
    try {
      return store.find(id).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("find must complete, and never exceptionally", e);
    }
  }

  private static Map<String, DrainEstimate> read(DrainRateStore store, String backend) {
    try {
      return store.read(backend).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("read must complete, and never exceptionally", e);
    }
  }

  private static String id() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void aPinWrittenByOneMemberIsFoundByTheOther() throws Exception {
    String session = id();
    assertThat(find(spaceB.pins(), session)).isEmpty();
    spaceA.pins().pin(session, "ptu@0123456789ab");
    assertThat(await("b finds a's pin", () -> find(spaceB.pins(), session), Optional::isPresent))
        .contains("ptu@0123456789ab");
  }

  @Test
  void theLatestPinOfASessionWinsAndOtherSessionsAreLeftAlone() throws Exception {
    String session = id();
    String other = id();
    spaceA.pins().pin(other, "one@000000000001");
    spaceA.pins().pin(session, "one@000000000001");
    await("the first pin", () -> find(spaceB.pins(), session), Optional::isPresent);
    spaceB.pins().pin(session, "two@000000000002");
    await("the later pin", () -> find(spaceA.pins(), session), p -> p.equals(Optional.of("two@000000000002")));
    assertThat(find(spaceA.pins(), other)).contains("one@000000000001");
    assertThat(find(spaceA.pins(), id())).isEmpty();
  }

  @Test
  void anEstimateIsReadByEveryMemberUnderItsReplicaAndALaterOneReplacesIt() throws Exception {
    String backend = "ptu-" + id() + "@0123456789ab";
    assertThat(read(spaceB.rates(), backend)).isEmpty();
    DrainEstimate first = new DrainEstimate(60_000, 2, 1_780_000_000_000L);
    spaceA.rates().publish(backend, "replica-a", first);
    assertThat(await("b reads a's estimate", () -> read(spaceB.rates(), backend), m -> !m.isEmpty()))
        .isEqualTo(Map.of("replica-a", first));

    DrainEstimate fromB = new DrainEstimate(20_000, 3, 1_780_000_001_000L);
    DrainEstimate later = new DrainEstimate(45_000, 4, 1_780_000_002_000L);
    spaceB.rates().publish(backend, "replica-b", fromB);
    spaceA.rates().publish(backend, "replica-a", later);
    assertThat(await("both estimates, a's latest", () -> read(spaceA.rates(), backend),
        m -> m.equals(Map.of("replica-a", later, "replica-b", fromB)))).hasSize(2);
    assertThat(read(spaceA.rates(), "ptu-" + id() + "@0123456789ab")).isEmpty();
  }
}
