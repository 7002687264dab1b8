package dev.clawauth.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each conversation keeps between requests: a model chosen with {@code /model}, a pinned
 * profile, and the profile it last used per provider (spec: "Sticky choice per conversation").
 * A conversation is a session id within a scope: the client key that sent it, or {@code ""} for
 * the gateway token. Requests without a session id share their scope's entry: a key's own choice,
 * or the agent-wide one for the gateway token. An entry idle for longer than the pin time to live
 * is forgotten when next asked for.
 */
final class Sessions {
  static final class Session {
    volatile long lastSeen = System.currentTimeMillis();
    volatile ModelRef model;
    volatile String pinnedProfile;
    final Map<String, String> sticky = new ConcurrentHashMap<>();

    /** Whether there is anything worth keeping across a restart. */
    boolean holdsChoice() {
      return model != null || pinnedProfile != null || !sticky.isEmpty();
    }
  }

  /** A conversation of one agent, within a scope (a client key's name, {@code ""} for the gateway token). */
  record Key(String agentId, String scope, String sessionId) {}

  /** Past this many sessions, those idle for a day are forgotten. */
  static final int PRUNE_ABOVE = 10_000;
  private static final long IDLE_MS = 24 * 3_600_000L;

  private final Map<Key, Session> sessions = new ConcurrentHashMap<>();
  private final long ttlMs;

  Sessions(long ttlMs) {
    this.ttlMs = ttlMs;
  }

  Session get(String agentId, String scope, String sessionId) {
    long now = System.currentTimeMillis();
    if (sessions.size() > PRUNE_ABOVE) {
      long cutoff = now - Math.min(IDLE_MS, ttlMs);
      sessions.values().removeIf(s -> s.lastSeen < cutoff);
    }
    Key key = new Key(agentId, scope, sessionId);
    Session s = sessions.compute(key, (k, old) -> old == null || now - old.lastSeen > ttlMs ? new Session() : old);
    s.lastSeen = now;
    return s;
  }

  Session peek(String agentId, String scope, String sessionId) {
    return sessions.get(new Key(agentId, scope, sessionId));
  }

  /** Drops the entries idle past the time to live; the flush timer calls it. */
  void expire(long now) {
    sessions.values().removeIf(s -> now - s.lastSeen > ttlMs);
  }

  /** The entries that hold a choice, for the state file. */
  List<Map.Entry<Key, Session>> withChoices() {
    List<Map.Entry<Key, Session>> out = new ArrayList<>();
    sessions.forEach((k, s) -> {
      if (s.holdsChoice()) {
        out.add(Map.entry(k, s));
      }
    });
    return out;
  }

  /** Puts back an entry read from the state file, unless it is idle past the time to live. */
  void restore(Key key, Session s, long now) {
    if (now - s.lastSeen <= ttlMs) {
      sessions.putIfAbsent(key, s);
    }
  }
}
