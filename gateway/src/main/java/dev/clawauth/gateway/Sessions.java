package dev.clawauth.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each conversation keeps between requests: a model chosen with {@code /model}, a pinned
 * profile, and the profile it last used per provider (spec: "Sticky choice per conversation").
 */
final class Sessions {
  static final class Session {
    volatile ModelRef model;
    volatile String pinnedProfile;
    final Map<String, String> sticky = new ConcurrentHashMap<>();
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Session get(String agentId, String sessionId) {
    return sessions.computeIfAbsent(agentId + "\u0000" + sessionId, k -> new Session());
  }

  Session peek(String agentId, String sessionId) {
    return sessions.get(agentId + "\u0000" + sessionId);
  }
}
