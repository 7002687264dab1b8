package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the agents' stores can be reached (a shared database may be down) and read (a file may
 * have been corrupted), as {@code /healthz} and {@code /status} show it and the log tells it, once
 * per change. While a store is down or broken the
 * gateway serves from the last pool it read: no refresh, cooldowns kept in memory and written
 * when it is back. Every answer comes from memory, so asking never blocks a request.
 */
final class StoreHealth {
  private static final String CORRUPT = "file does not parse: ";
  /** Per store location, the reason it was last seen down (absent while up). */
  private final Map<String, String> down = new HashMap<>();

  /**
   * Why {@code agent}'s store can be neither read afresh nor written now, if so: a database that
   * is down, or a file that no longer parses (then the message names file:line:col).
   */
  static Optional<String> of(AgentState agent) {
    return agent.ctx().store().unavailable().or(() -> agent.corruption().map(why -> CORRUPT + why));
  }

  /** Adds {@code store: {readOnly, reason}} to a health or status answer when the store is down. */
  static void describe(ObjectNode answer, AgentState agent) {
    of(agent).ifPresent(reason -> {
      ObjectNode s = answer.putObject("store");
      s.put("readOnly", true);
      s.put("reason", reason + "; serving the last pool read (no refresh, cooldowns kept in memory)");
    });
  }

  /** Logs each store that went down or came back since the last check. */
  synchronized void check(Collection<AgentState> agents, PrintStream log) {
    for (AgentState a : agents) {
      a.look();
      String where = a.ctx().store().location();
      Optional<String> now = of(a);
      String before = down.get(where);
      if (now.isPresent() && before == null) {
        down.put(where, now.get());
        log.println("gateway: the credential store " + now.get() + "; serving the last pool read, read-only"
            + " (no refresh; cooldowns kept in memory) until it is back");
      } else if (now.isEmpty() && before != null) {
        down.remove(where);
        log.println("gateway: the credential store " + where + (before.startsWith(CORRUPT) ? " can be read" : " is reachable")
            + " again; pending usage stats are written and the pool is read afresh");
      }
    }
  }
}
