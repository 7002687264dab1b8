package dev.clawauth.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Each agent's version as this host last learned it, kept by one listener thread: every write
 * moves the agent's version and announces it with {@code NOTIFY} in its transaction, delivered at
 * commit. A change check is then a map lookup, with no round trip; a host's own writes are
 * recorded at commit, so it never waits for its own announcement. When the connection is lost
 * the listener says so ({@link #down}), retries, and on reconnecting reads every version, so a
 * change made meanwhile is not missed.
 */
final class ChangeFeed {
  /** Every this often a quiet listener checks that its connection still works. */
  private static final long PING_MS = 2_000;
  private static final int WAIT_MS = 250;

  private final PgDatabase db;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private volatile Thread thread;
  /** Why the listener is not connected, or null while it is (or before it first tried). */
  private volatile String down;

  ChangeFeed(PgDatabase db) {
    this.db = db;
  }

  /** The channel a schema's writes are announced on. */
  static String channel(String schema) {
    return "clawauth_" + schema;
  }

  /** The last version known of {@code agentId} (0 before its first write). */
  long version(String agentId) {
    start();
    return versions.getOrDefault(agentId, 0L);
  }

  /** A write of this process committed. */
  void saw(String agentId, long version) {
    versions.merge(agentId, version, Math::max);
  }

  Optional<String> down() {
    start();
    return Optional.ofNullable(down);
  }

  private void start() {
    if (thread == null) {
      synchronized (this) {
        if (thread == null) {
          Thread t = new Thread(this::run, "clawauth-pg-listen");
          t.setDaemon(true);
          t.start();
          thread = t;
        }
      }
    }
  }

  private void run() {
    long backoff = 100;
    while (true) {
      try (Connection c = db.dedicated()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel(db.settings().schema()));
        }
        // The schema may not exist yet on a fresh database: the pool's first connection makes it.
        db.connection().close();
        catchUp(c);
        down = null;
        db.markReachable();
        backoff = 100;
        listen(c);
      } catch (SQLException e) {
        down = PgDatabase.reason(e);
        db.failed(e);
      } catch (java.io.IOException e) {
        down = e.getMessage().replaceFirst("^the PostgreSQL store at \\S+ cannot be reached: ", "");
      } catch (RuntimeException e) {
        // Whatever went wrong, the thread must live on: without it no change would be seen again.
        down = e.toString();
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(1_000, backoff * 2);
    }
  }

  private void catchUp(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT agent_id, version FROM clawauth_agents")) {
      while (r.next()) {
        versions.merge(r.getString(1), r.getLong(2), Math::max);
      }
    }
  }

  private void listen(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long lastHeard = System.currentTimeMillis();
    while (true) {
      PGNotification[] got = pg.getNotifications(WAIT_MS);
      long now = System.currentTimeMillis();
      if (got != null && got.length > 0) {
        for (PGNotification n : got) {
          String p = n.getParameter();
          int sp = p.indexOf(' ');
          if (sp > 0 && p.substring(0, sp).chars().allMatch(Character::isDigit)) {
            saw(p.substring(sp + 1), Long.parseLong(p.substring(0, sp)));
          }
        }
        lastHeard = now;
      } else if (now - lastHeard > PING_MS) {
        // A peer that vanished without closing the connection shows only when something is sent.
        try (Statement s = c.createStatement()) {
          s.setQueryTimeout(5);
          s.execute("SELECT 1");
        }
        lastHeard = now;
      }
    }
  }
}
