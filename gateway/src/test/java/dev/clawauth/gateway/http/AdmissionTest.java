package dev.clawauth.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission policy alone: shares, eviction order, the per-address cap, the summary. */
class AdmissionTest {
  static final long SECOND = 1_000_000_000L;

  private static Admission<String> admission(int max, int share, int perSource) {
    return new Admission<>(new Admission.Limits(max, share, perSource), 10 * SECOND, 0);
  }

  @Test
  void aFullShareEvictsTheOldestWaitingConnectionNotTheNewcomer() {
    Admission<String> a = admission(10, 3, 3);
    a.admit("a", "10.0.0.1");
    a.admit("b", "10.0.0.2");
    a.admit("c", "10.0.0.3");
    Admission.Decision<String> d = a.admit("d", "10.0.0.4");
    assertThat(d.ticket()).isNotNull();
    assertThat(d.evicted()).isEqualTo("a");
    assertThat(a.admit("e", "10.0.0.5").evicted()).isEqualTo("b");
    assertThat(a.unauthenticated()).isEqualTo(3);
    assertThat(a.total(Admission.Reason.EVICTED)).isEqualTo(2);
  }

  @Test
  void aConnectionBeingAnsweredIsPassedOverWhileOthersWait() {
    Admission<String> a = admission(10, 3, 3);
    Admission.Ticket<String> first = a.admit("a", "10.0.0.1").ticket();
    a.admit("b", "10.0.0.2");
    a.admit("c", "10.0.0.3");
    a.busy(first, true);
    assertThat(a.admit("d", "10.0.0.4").evicted()).isEqualTo("b");
    a.busy(first, false);
    assertThat(a.admit("e", "10.0.0.5").evicted()).isEqualTo("a");
  }

  @Test
  void whenAllAreBeingAnsweredTheOldestStillMakesRoom() {
    Admission<String> a = admission(10, 2, 2);
    a.busy(a.admit("a", "s").ticket(), true);
    a.busy(a.admit("b", "s").ticket(), true);
    assertThat(a.admit("c", "s").evicted()).isEqualTo("a");
  }

  @Test
  void oneAddressOverItsCapEvictsItsOwnOldestAndNoOneElses() {
    Admission<String> a = admission(100, 10, 2);
    a.admit("other", "10.0.0.9");
    a.admit("x1", "10.0.0.1");
    a.admit("x2", "10.0.0.1");
    List<String> evicted = new ArrayList<>();
    for (int i = 3; i < 50; i++) {
      evicted.add(a.admit("x" + i, "10.0.0.1").evicted());
    }
    assertThat(evicted).doesNotContain("other").startsWith("x1", "x2", "x3");
    assertThat(a.unauthenticated()).isEqualTo(3);
    assertThat(a.total(Admission.Reason.SOURCE_CAP)).isEqualTo(47);
    assertThat(a.total(Admission.Reason.EVICTED)).isZero();
    // The other address still gets in without displacing anyone.
    assertThat(a.admit("other2", "10.0.0.9").evicted()).isNull();
  }

  @Test
  void authenticatedSlotsAreNeverTakenByConnectionsWithoutTheToken() {
    Admission<String> a = admission(10, 4, 4);
    List<Admission.Ticket<String>> honest = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Admission.Ticket<String> t = a.admit("h" + i, "127.0.0.1").ticket();
      assertThat(a.authenticate(t)).isTrue();
      honest.add(t);
    }
    assertThat(a.authenticated()).isEqualTo(6);
    // A flood without the token only ever churns the four remaining slots.
    List<String> evicted = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Admission.Decision<String> d = a.admit("x" + i, "127.0.0.1");
      assertThat(d.ticket()).isNotNull();
      if (d.evicted() != null) {
        evicted.add(d.evicted());
      }
    }
    assertThat(evicted).hasSize(996).noneMatch(s -> s.startsWith("h"));
    assertThat(honest).allMatch(a::isAuthenticated);
    assertThat(a.authenticated() + a.unauthenticated()).isEqualTo(10);
  }

  @Test
  void theUnauthenticatedShareShrinksToWhatAuthenticatedOnesLeaveAndThenNewcomersAreOver() {
    Admission<String> a = admission(4, 3, 3);
    for (int i = 0; i < 3; i++) {
      a.authenticate(a.admit("h" + i, "s").ticket());
    }
    Admission.Ticket<String> x = a.admit("x", "s").ticket();
    Admission.Decision<String> second = a.admit("y", "s");
    assertThat(second.evicted()).as("one slot is left for connections without the token").isEqualTo("x");
    assertThat(a.stillEvicted(x)).isTrue();
    assertThat(a.authenticate(x)).as("no slot is free for it").isFalse();
    assertThat(a.authenticate(second.ticket())).isTrue();
    // Every slot is authenticated now: a newcomer is over the limit, and nobody is evicted.
    Admission.Decision<String> over = a.admit("late", "s");
    assertThat(over.ticket()).isNull();
    assertThat(over.evicted()).isNull();
    assertThat(a.total(Admission.Reason.OVER_LIMIT)).isEqualTo(1);
  }

  @Test
  void anEvictedConnectionThatAuthenticatesBeforeItsCloseKeepsAFreeSlot() {
    Admission<String> a = admission(10, 1, 1);
    Admission.Ticket<String> first = a.admit("a", "s").ticket();
    assertThat(a.admit("b", "s").evicted()).isEqualTo("a");
    assertThat(a.authenticate(first)).isTrue();
    assertThat(a.stillEvicted(first)).isFalse();
    assertThat(a.authenticated()).isEqualTo(1);
    a.closed(first);
    assertThat(a.authenticated()).isZero();
  }

  @Test
  void closingFreesTheSlotOnceAndAnEvictedCloseChangesNothing() {
    Admission<String> a = admission(10, 2, 2);
    Admission.Ticket<String> t1 = a.admit("a", "s").ticket();
    Admission.Ticket<String> t2 = a.admit("b", "s").ticket();
    a.closed(t1);
    a.closed(t1);
    assertThat(a.unauthenticated()).isEqualTo(1);
    a.admit("c", "s");
    assertThat(a.admit("d", "s").evicted()).isEqualTo("b");
    a.closed(t2);
    assertThat(a.unauthenticated()).isEqualTo(2);
  }

  @Test
  void refusalsAreSummarisedOncePerIntervalWithTheNumberOfSources() {
    Admission<String> a = admission(10, 2, 2);
    assertThat(a.sample()).isTrue();
    assertThat(a.sample()).isFalse();
    for (int i = 0; i < 5; i++) {
      a.admit("x" + i, "10.0.0." + i);
    }
    a.refused("10.0.0.7", Admission.Reason.HEAD_TIMEOUT);
    a.refused("10.0.0.7", Admission.Reason.NO_TOKEN);
    assertThat(a.report(9 * SECOND)).as("the interval has not ended").isNull();
    String line = a.report(10 * SECOND);
    assertThat(line).isEqualTo("turned away 5 connections without the token from 4 sources in the last 10 s:"
        + " 3 evicted for newer ones, 1 without a request head in time, 1 with a missing or wrong token");
    assertThat(a.report(25 * SECOND)).as("nothing happened since").isNull();
    assertThat(a.sample()).as("a new interval logs its first refusal again").isTrue();
    assertThat(a.total(Admission.Reason.EVICTED)).isEqualTo(3);
  }

  @Test
  void limitsThatDoNotFitAreRefused() {
    assertThatThrownBy(() -> new Admission.Limits(10, 11, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Admission.Limits(10, 5, 6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Admission.Limits(10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Admission.Limits.of(1024)).isEqualTo(new Admission.Limits(1024, 512, 256));
    assertThat(Admission.Limits.of(1)).isEqualTo(new Admission.Limits(1, 1, 1));
  }
}
