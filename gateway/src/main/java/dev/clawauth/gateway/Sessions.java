package dev.clawauth.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each conversation keeps between requests: a model chosen with {@code /model}, a pinned
 * profile, and the profile it last used per provider (spec: "Sticky choice per conversation").
 */
final class Sessions {
  static final class Session {
    volatile long lastSeen = System.currentTimeMillis();
    volatile ModelRef model;
    volatile String pinnedProfile;
    final Map<String, String> sticky = new ConcurrentHashMap<>();
  }

  /** Past this many sessions, those idle for a day are forgotten. */
  static final int PRUNE_ABOVE = 10_000;
  private static final long IDLE_MS = 24 * 3_600_000L;

  private final Map<Key, Session> sessions = new ConcurrentHashMap<>();

  /** A conversation of one agent. */
  private record Key(String agentId, String sessionId) {}

  Session get(String agentId, String sessionId) {
    if (sessions.size() > PRUNE_ABOVE) {
      long cutoff = System.currentTimeMillis() - IDLE_MS;
      sessions.values().removeIf(s -> s.lastSeen < cutoff);
    }
    Session s = sessions.computeIfAbsent(new Key(agentId, sessionId), k -> new Session());
    s.lastSeen = System.currentTimeMillis();
    return s;
  }

  Session peek(String agentId, String sessionId) {
    return sessions.get(new Key(agentId, sessionId));
  }
}
