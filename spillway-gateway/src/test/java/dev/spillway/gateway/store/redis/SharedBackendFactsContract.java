package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.spillway.core.routing.BackendFact;
import dev.spillway.core.routing.SharedBackendFacts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedBackendFacts} guarantees; each implementation's test extends this class. Every test has a
 * space of its own (a hub, or a Redis key prefix), so implementations sharing one Redis never hear each other's facts.
 * Delivery may be asynchronous: what a member must hear is awaited (at most 10 s); what it must not hear is checked
 * after a later fact, published after it, has arrived.
 */
abstract class SharedBackendFactsContract {
  /** Where one test's members meet. */
  interface Space extends AutoCloseable {
    /** A new member of this space, its listener hearing facts from the others. */
    SharedBackendFacts join(Consumer<BackendFact> listener);

    @Override
    void close();
  }

  /** A fresh space, with no facts yet; called before every test. */
  protected abstract Space newSpace();

  private final Clock clock = Clock.systemUTC();
  private final List<SharedBackendFacts> members = new ArrayList<>();
  private Space space;

  @BeforeEach
  void open() {
    space = newSpace();
  }

  @AfterEach
  void close() {
    members.forEach(SharedBackendFacts::close);
    space.close();
  }

  /** A member and what it heard. */
  private record Member(SharedBackendFacts facts, List<BackendFact> heard) {}

  private Member join() {
    List<BackendFact> heard = new CopyOnWriteArrayList<>();
    SharedBackendFacts facts = space.join(heard::add);
    members.add(facts);
    return new Member(facts, heard);
  }

  private BackendFact throttled(String backend, long inMillis) {
    return BackendFact.throttled(backend, clock.millis() + inMillis);
  }

  private static String backend() {
    return "b-" + UUID.randomUUID() + "@0123456789ab";
  }

  private static void awaitHeard(Member m, BackendFact fact) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!m.heard().contains(fact)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not heard within 10 s: " + fact + "; heard " + m.heard());
      }
      Thread.sleep(2);
    }
  }

  @Test
  void aFactOneMemberPublishesReachesEveryOtherMember() throws Exception {
    Member a = join();
    Member b = join();
    Member c = join();
    BackendFact fact = throttled(backend(), 60_000);
    a.facts().publish(fact);
    awaitHeard(b, fact);
    awaitHeard(c, fact);
    assertThat(b.heard()).containsOnly(fact);
  }

  @Test
  void aMemberThatJoinsLaterHearsTheFactsThatStillHoldAndNoneThatIsOver() throws Exception {
    Member a = join();
    Member b = join();
    BackendFact holds = throttled(backend(), 60_000);
    BackendFact over = throttled(backend(), -1_000);
    a.facts().publish(over);
    a.facts().publish(holds);
    awaitHeard(b, holds);

    Member late = join();
    awaitHeard(late, holds);
    BackendFact after = throttled(backend(), 60_000);
    a.facts().publish(after);
    awaitHeard(late, after);
    assertThat(late.heard()).doesNotContain(over);
    assertThat(b.heard()).doesNotContain(over);
  }

  @Test
  void aFactNeverShortensOneAlreadyHeldAndALongerOneExtendsIt() throws Exception {
    Member a = join();
    Member b = join();
    String backend = backend();
    BackendFact longer = throttled(backend, 60_000);
    BackendFact shorter = new BackendFact(backend, BackendFact.Kind.THROTTLED, longer.untilEpochMillis() - 30_000);
    a.facts().publish(longer);
    awaitHeard(b, longer);
    a.facts().publish(shorter);
    BackendFact barrier = throttled(backend(), 60_000);
    a.facts().publish(barrier);
    awaitHeard(b, barrier);
    assertThat(b.heard()).doesNotContain(shorter);

    Member late = join();
    awaitHeard(late, longer);
    BackendFact extended = new BackendFact(backend, BackendFact.Kind.THROTTLED, longer.untilEpochMillis() + 30_000);
    a.facts().publish(extended);
    awaitHeard(b, extended);
    awaitHeard(late, extended);
    assertThat(late.heard()).doesNotContain(shorter);
  }

  @Test
  void aMemberThatLeftHearsNothingMoreAndPublishingNeverThrows() throws Exception {
    Member a = join();
    Member b = join();
    Member gone = join();
    gone.facts().close();
    assertThatCode(() -> gone.facts().publish(throttled(backend(), 60_000))).doesNotThrowAnyException();
    BackendFact fact = throttled(backend(), 60_000);
    a.facts().publish(fact);
    awaitHeard(b, fact);
    BackendFact next = throttled(backend(), 60_000);
    a.facts().publish(next);
    awaitHeard(b, next);
    assertThat(gone.heard()).doesNotContain(fact, next);
  }

  @Test
  void anAuthHoldTravelsAsItsOwnKindIsReadByALateMemberAndNeitherKindShortensTheOther() throws Exception {
    Member a = join();
    Member b = join();
    String backend = backend();
    String authName = backend + "~fedcba987654";
    BackendFact throttle = throttled(backend, 60_000);
    BackendFact hold = BackendFact.unauthorized(authName, throttle.untilEpochMillis() - 30_000);
    BackendFact shorterHold = BackendFact.unauthorized(authName, hold.untilEpochMillis() - 10_000);
    a.facts().publish(throttle);
    a.facts().publish(hold);
    awaitHeard(b, throttle);
    awaitHeard(b, hold);
    assertThat(b.heard()).allMatch(f -> f.kind() == (f.backend().equals(authName)
        ? BackendFact.Kind.UNAUTHORIZED : BackendFact.Kind.THROTTLED));
    a.facts().publish(shorterHold);
    BackendFact barrier = throttled(backend(), 60_000);
    a.facts().publish(barrier);
    awaitHeard(b, barrier);
    assertThat(b.heard()).doesNotContain(shorterHold);

    Member late = join();
    awaitHeard(late, hold);
    awaitHeard(late, throttle);
    BackendFact extended = BackendFact.unauthorized(authName, throttle.untilEpochMillis() + 30_000);
    a.facts().publish(extended);
    awaitHeard(late, extended);
    assertThat(late.heard()).doesNotContain(shorterHold);
  }
}
