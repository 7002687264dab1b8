package dev.clawauth.gateway.http;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which connections a server keeps, by whether they have shown the server's credential. A new
 * connection is unauthenticated until one of its requests passes the credential check; the
 * unauthenticated ones share a bounded part of the slots ({@code maxUnauthenticated}, at most
 * {@code maxPerSource} of them from one address), and the rest are left for authenticated ones.
 *
 * <p>When a new connection finds that share full, it takes the place of the oldest unauthenticated
 * connection that is waiting for a request head (closed by the caller) instead of being refused:
 * an honest client sends its head at once and is authenticated within milliseconds, so clients
 * that open connections and send nothing cannot keep it out, however many they open. Only when
 * authenticated connections hold every slot is a new one over the limit.
 *
 * <p>Also counts what was turned away, for a summary line per interval instead of a line per
 * connection. Thread-safe (one lock; a few pointer moves per call); knows nothing of sockets, so
 * that any server can use it. {@code C} is the caller's handle of a connection.
 */
public final class Admission<C> {
  /** The slots: all connections, the unauthenticated share, and its part for one source address. */
  public record Limits(int maxConnections, int maxUnauthenticated, int maxPerSource) {
    public Limits {
      if (maxConnections < 1 || maxUnauthenticated < 1 || maxPerSource < 1) {
        throw new IllegalArgumentException("connection limits must be at least 1");
      }
      if (maxUnauthenticated > maxConnections || maxPerSource > maxUnauthenticated) {
        throw new IllegalArgumentException("the unauthenticated share (" + maxUnauthenticated + ", " + maxPerSource
            + " per source) must fit in the connection limit (" + maxConnections + ")");
      }
    }

    /** Half the slots for connections without the credential, a quarter for one address. */
    public static Limits of(int maxConnections) {
      return new Limits(maxConnections, Math.max(1, maxConnections / 2), Math.max(1, maxConnections / 4));
    }
  }

  /** Why an unauthenticated connection was turned away. */
  public enum Reason {
    /** Its place went to a newer connection: the unauthenticated share was full. */
    EVICTED("evicted for newer ones"),
    /** Its place went to a newer connection from the same address: that address had its share. */
    SOURCE_CAP("evicted over the per-address share"),
    /** Its request head did not arrive in time (or nothing arrived). */
    HEAD_TIMEOUT("without a request head in time"),
    /** Its request lacked the credential or had a wrong one. */
    NO_TOKEN("with a missing or wrong token"),
    /** Authenticated connections held every slot. */
    OVER_LIMIT("over the connection limit"),
    /** Its request's body did not fit the budget of bodies held at once. */
    BODY_BUDGET("over the body budget"),
    /** A malformed or oversized request head. */
    MALFORMED("with a malformed head");

    private final String shown;

    Reason(String shown) {
      this.shown = shown;
    }
  }

  /** A connection's place. Fields are guarded by the admission's lock. */
  public static final class Ticket<C> {
    private final C owner;
    private final String source;
    private boolean authenticated;
    /** Evicted or closed: it holds no slot. */
    private boolean gone;
    /** Its head has arrived and it is being answered (a refusal, an unauthenticated path). */
    private boolean busy;
    private Ticket<C> prev;
    private Ticket<C> next;
    private Ticket<C> prevOfSource;
    private Ticket<C> nextOfSource;

    private Ticket(C owner, String source) {
      this.owner = owner;
      this.source = source;
    }

    public C owner() {
      return owner;
    }

    public String source() {
      return source;
    }
  }

  /**
   * A new connection's place, or none (null ticket) when it is over the limit; {@code evicted} is
   * the connection it displaced, which the caller closes, or null.
   */
  public record Decision<C>(Ticket<C> ticket, C evicted) {}

  /** Unauthenticated connections of one address, oldest first. */
  private static final class Queue<C> {
    Ticket<C> first;
    Ticket<C> last;
    int size;
  }

  /** Distinct sources remembered per interval; beyond it the summary says "at least". */
  static final int MAX_SOURCES_SEEN = 4096;

  private final Limits limits;
  private final long intervalNanos;
  /** Every unauthenticated connection, oldest first. */
  private Ticket<C> oldest;
  private Ticket<C> newest;
  private int unauthenticated;
  private int authenticated;
  private final Map<String, Queue<C>> bySource = new HashMap<>();
  private final Map<Reason, Long> totals = new EnumMap<>(Reason.class);
  private final Map<Reason, Long> recent = new EnumMap<>(Reason.class);
  private final Set<String> recentSources = new HashSet<>();
  private long intervalStart;
  private boolean sampled;

  /** {@code intervalNanos}: how often {@link #report} may summarise; {@code now} starts the first interval. */
  public Admission(Limits limits, long intervalNanos, long now) {
    this.limits = limits;
    this.intervalNanos = intervalNanos;
    this.intervalStart = now;
  }

  public Limits limits() {
    return limits;
  }

  /** A new connection from {@code source} (its address, as text). */
  public synchronized Decision<C> admit(C owner, String source) {
    Queue<C> mine = bySource.get(source);
    Ticket<C> victim = null;
    if (mine != null && mine.size >= limits.maxPerSource()) {
      victim = evictable(mine.first, true);
      evict(victim, Reason.SOURCE_CAP);
    } else if (unauthenticated >= Math.min(limits.maxUnauthenticated(), limits.maxConnections() - authenticated)) {
      if (unauthenticated == 0) {
        count(Reason.OVER_LIMIT, source);
        return new Decision<>(null, null);
      }
      victim = evictable(oldest, false);
      evict(victim, Reason.EVICTED);
    }
    Ticket<C> t = new Ticket<>(owner, source);
    link(t);
    return new Decision<>(t, victim == null ? null : victim.owner);
  }

  /**
   * The connection's request passed the credential check: it leaves the unauthenticated share.
   * A connection evicted a moment before (its close not yet done) gets a slot back if one is
   * free; false when it has none and must close.
   */
  public synchronized boolean authenticate(Ticket<C> t) {
    if (t.authenticated) {
      return true;
    }
    if (t.gone) {
      if (authenticated + unauthenticated >= limits.maxConnections()) {
        return false;
      }
      t.gone = false;
    } else {
      unlink(t);
    }
    t.authenticated = true;
    authenticated++;
    return true;
  }

  /** False once the connection's slot is taken back by {@link #authenticate}: it must not be closed. */
  public synchronized boolean stillEvicted(Ticket<C> t) {
    return t.gone && !t.authenticated;
  }

  /**
   * An unauthenticated connection's head has arrived and it is being answered ({@code true}), or it
   * waits for its next head again: only waiting ones are evicted while there are any.
   */
  public synchronized void busy(Ticket<C> t, boolean busy) {
    t.busy = busy;
  }

  public synchronized boolean isAuthenticated(Ticket<C> t) {
    return t.authenticated;
  }

  /** The connection closed: its slot is free. */
  public synchronized void closed(Ticket<C> t) {
    if (t.authenticated) {
      t.authenticated = false;
      t.gone = true;
      authenticated--;
    } else if (!t.gone) {
      unlink(t);
      t.gone = true;
    }
  }

  /** An unauthenticated connection is turned away by its server (a 401, a 408, ...). */
  public synchronized void refused(String source, Reason why) {
    count(why, source);
  }

  /**
   * True for the first refusal of each interval, which the server may log in full; the others
   * are only counted and summarised by {@link #report}.
   */
  public synchronized boolean sample() {
    if (sampled) {
      return false;
    }
    sampled = true;
    return true;
  }

  /**
   * The summary of the interval that ended, once {@code intervalNanos} have passed since the
   * last one, when anything was turned away in it; null otherwise. Contains counts only.
   */
  public synchronized String report(long now) {
    if (now - intervalStart < intervalNanos) {
      return null;
    }
    long seconds = Math.max(1, Math.round((now - intervalStart) / 1e9));
    intervalStart = now;
    sampled = false;
    if (recent.isEmpty()) {
      return null;
    }
    long n = 0;
    StringBuilder parts = new StringBuilder();
    for (var e : recent.entrySet()) {
      n += e.getValue();
      parts.append(parts.isEmpty() ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey().shown);
    }
    int sources = recentSources.size();
    String from = (sources >= MAX_SOURCES_SEEN ? "at least " : "") + sources + (sources == 1 ? " source" : " sources");
    recent.clear();
    recentSources.clear();
    return "turned away " + n + (n == 1 ? " connection" : " connections") + " without the token from " + from
        + " in the last " + seconds + " s: " + parts;
  }

  /** Connections turned away for {@code why} since the start. */
  public synchronized long total(Reason why) {
    return totals.getOrDefault(why, 0L);
  }

  public synchronized int unauthenticated() {
    return unauthenticated;
  }

  public synchronized int authenticated() {
    return authenticated;
  }

  /** The oldest ticket from {@code first} on that waits for a head, else {@code first} itself. */
  private Ticket<C> evictable(Ticket<C> first, boolean ofSource) {
    for (Ticket<C> t = first; t != null; t = ofSource ? t.nextOfSource : t.next) {
      if (!t.busy) {
        return t;
      }
    }
    // All are being answered: that is short, and a newcomer must still get in.
    return first;
  }

  private void evict(Ticket<C> victim, Reason why) {
    unlink(victim);
    victim.gone = true;
    count(why, victim.source);
  }

  private void count(Reason why, String source) {
    totals.merge(why, 1L, Long::sum);
    recent.merge(why, 1L, Long::sum);
    if (recentSources.size() < MAX_SOURCES_SEEN) {
      recentSources.add(source);
    }
  }

  private void link(Ticket<C> t) {
    t.prev = newest;
    if (newest == null) {
      oldest = t;
    } else {
      newest.next = t;
    }
    newest = t;
    Queue<C> q = bySource.computeIfAbsent(t.source, k -> new Queue<>());
    t.prevOfSource = q.last;
    if (q.last == null) {
      q.first = t;
    } else {
      q.last.nextOfSource = t;
    }
    q.last = t;
    q.size++;
    unauthenticated++;
  }

  private void unlink(Ticket<C> t) {
    if (t.prev == null) {
      oldest = t.next;
    } else {
      t.prev.next = t.next;
    }
    if (t.next == null) {
      newest = t.prev;
    } else {
      t.next.prev = t.prev;
    }
    t.prev = null;
    t.next = null;
    Queue<C> q = bySource.get(t.source);
    if (t.prevOfSource == null) {
      q.first = t.nextOfSource;
    } else {
      t.prevOfSource.nextOfSource = t.nextOfSource;
    }
    if (t.nextOfSource == null) {
      q.last = t.prevOfSource;
    } else {
      t.nextOfSource.prevOfSource = t.prevOfSource;
    }
    t.prevOfSource = null;
    t.nextOfSource = null;
    if (--q.size == 0) {
      bySource.remove(t.source);
    }
    unauthenticated--;
  }
}
