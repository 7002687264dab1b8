package dev.clawauth.gateway.upstream;

import dev.clawauth.gateway.http.EventLoop;
import dev.clawauth.gateway.upstream.UpstreamConnection.State;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One loop's connections: the idle ones by endpoint, and all of them for the deadline sweep. */
final class UpstreamPool {
  /** Sweeps of one loop's deadlines are at least this far apart: a timeout fires up to this late. */
  static final long SWEEP_MS = 100;
  static final long NEVER = Long.MAX_VALUE;
  static final long EXPIRED = Long.MIN_VALUE;

  final LoopUpstreamClient client;
  final EventLoop loop;
  final Map<String, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
  final ArrayList<UpstreamConnection> all = new ArrayList<>();
  final Runnable sweepTask = this::sweep;
  /** Changed on this pool's loop, read from any thread by {@link LoopUpstreamClient#idleConnections}. */
  final AtomicInteger idleCount = new AtomicInteger();
  EventLoop.Timer timer;
  long timerAt = NEVER;
  long lastSweep = System.nanoTime();
  boolean shut;

  UpstreamPool(LoopUpstreamClient client, EventLoop loop) {
    this.client = client;
    this.loop = loop;
  }

  /** The newest idle connection to {@code key} still within its idle limit, taken out of the pool. */
  UpstreamConnection take(String key) {
    ArrayDeque<UpstreamConnection> q = idle.get(key);
    if (q == null) {
      return null;
    }
    long now = client.clock.getAsLong();
    long limit = client.idleLimit(key);
    for (UpstreamConnection c; (c = q.pollFirst()) != null;) {
      idleCount.decrementAndGet();
      c.state = State.ACTIVE;
      if (now - c.idleSince < limit && c.channelOpen()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  void putIdle(UpstreamConnection c) {
    idle.computeIfAbsent(c.key, k -> new ArrayDeque<>()).addFirst(c);
    idleCount.incrementAndGet();
    due(System.nanoTime() + client.idleLimit(c.key) * 1_000_000L);
  }

  void removeIdle(UpstreamConnection c) {
    ArrayDeque<UpstreamConnection> q = idle.get(c.key);
    if (q != null && q.remove(c)) {
      idleCount.decrementAndGet();
    }
  }

  /** Makes sure the sweep runs by {@code at} (nanoTime), but not sooner than {@link #SWEEP_MS} after the last. */
  void due(long at) {
    at = Math.max(at, lastSweep + SWEEP_MS * 1_000_000L);
    if (at >= timerAt || shut) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    timerAt = at;
    timer = loop.schedule(Math.max(1, (at - System.nanoTime() + 999_999) / 1_000_000), sweepTask);
  }

  void sweep() {
    timer = null;
    timerAt = NEVER;
    long now = System.nanoTime();
    lastSweep = now;
    long next = NEVER;
    List<UpstreamConnection> expired = null;
    for (UpstreamConnection c : all) {
      long at = c.due(now);
      if (at == EXPIRED) {
        if (expired == null) {
          expired = new ArrayList<>();
        }
        expired.add(c);
      } else {
        next = Math.min(next, at);
      }
    }
    if (expired != null) {
      // Failing calls the listeners, which may open or close connections: not while iterating.
      expired.forEach(UpstreamConnection::expire);
    }
    if (next != NEVER) {
      due(next);
    }
  }

  void closeAll() {
    shut = true;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    for (UpstreamConnection c : new ArrayList<>(all)) {
      c.abort(new IOException("upstream client closed"));
    }
  }
}
