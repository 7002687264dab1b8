package dev.clawauth.store.postgres;

import dev.clawauth.json.JsonFileException;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * One agent's credentials in a PostgreSQL database that several gateway hosts share.
 *
 * <ul>
 *   <li>A change is one transaction that first locks the agent's row ({@code SELECT ... FOR
 *       UPDATE}), so every writer of the agent on every host is excluded, then reads, applies the
 *       mutation and writes only what changed, moving the agent's version and announcing it.</li>
 *   <li>An OAuth refresh holds a session advisory lock keyed on provider and profile id, on a
 *       connection of its own, from the re-read to the write: one refresh per account in the
 *       cluster, released by the database if the host dies.</li>
 *   <li>{@link #changeStamp} is the agent's version as the {@link ChangeFeed} last heard it: no
 *       round trip per request.</li>
 * </ul>
 */
public final class PostgresStore implements CredentialStore {
  private final PgDatabase db;
  /** The settings this store was opened with: its keys may differ from the pool's first user's. */
  private final PostgresSettings settings;
  private final String agentId;
  private final Path configFile;
  private volatile KeyRing keys;

  PostgresStore(PgDatabase db, PostgresSettings settings, String agentId, Path configFile) {
    this.db = db;
    this.settings = settings;
    this.agentId = agentId;
    this.configFile = configFile;
  }

  public String agentId() {
    return agentId;
  }

  @Override
  public StoreKind kind() {
    return StoreKind.POSTGRES;
  }

  /** The settings file that names the database: the file to look at when something is wrong. */
  @Override
  public Path path() {
    return configFile;
  }

  @Override
  public String location() {
    return db.display() + " (schema " + db.settings().schema() + ", agent " + agentId + ")";
  }

  @Override
  public List<Path> files() {
    return List.of();
  }

  @Override
  public boolean exists() {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("SELECT 1 FROM clawauth_agents WHERE agent_id = ?")) {
      p.setString(1, agentId);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    } catch (IOException | SQLException e) {
      return true;
    }
  }

  @Override
  public StoreDocument read() throws IOException, JsonFileException {
    return readStored();
  }

  @Override
  public StoreDocument readStored() throws IOException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        AgentRows.Loaded loaded = load(c, false);
        c.commit();
        return StoreDocument.over(loaded.tree());
      } finally {
        rollbackQuietly(c);
      }
    } catch (SQLException e) {
      throw db.failed(e);
    }
  }

  @Override
  public List<String> pendingImports() {
    return List.of();
  }

  @Override
  public <T> T update(Mutation<T> mutation) throws IOException, JsonFileException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO clawauth_agents (agent_id) VALUES (?) ON CONFLICT (agent_id) DO NOTHING")) {
          p.setString(1, agentId);
          p.executeUpdate();
        }
        AgentRows rows = rows();
        AgentRows.Loaded before = load(c, true);
        StoreDocument doc = StoreDocument.over(before.tree().deepCopy());
        T result = mutation.apply(doc);
        if (rows.write(c, before, doc.treeCopy())) {
          long version;
          try (PreparedStatement p = c.prepareStatement("UPDATE clawauth_agents SET version = version + 1,"
              + " updated_at = now() WHERE agent_id = ? RETURNING version")) {
            p.setString(1, agentId);
            try (ResultSet r = p.executeQuery()) {
              r.next();
              version = r.getLong(1);
            }
          }
          try (PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            p.setString(1, ChangeFeed.channel(db.settings().schema()));
            p.setString(2, version + " " + agentId);
            p.executeQuery().close();
          }
          c.commit();
          db.feed().saw(agentId, version);
        } else {
          c.commit();
        }
        return result;
      } finally {
        rollbackQuietly(c);
      }
    } catch (SQLException e) {
      throw db.failed(e);
    }
  }

  /** The agent's rows in {@code c}'s transaction; {@code lock} takes its row lock first. */
  private AgentRows.Loaded load(Connection c, boolean lock) throws SQLException, IOException {
    long version = 0;
    String doc = null;
    try (PreparedStatement p = c.prepareStatement("SELECT version, doc FROM clawauth_agents WHERE agent_id = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      p.setString(1, agentId);
      try (ResultSet r = p.executeQuery()) {
        if (r.next()) {
          version = r.getLong(1);
          doc = r.getString(2);
        }
      }
    }
    return rows().load(c, version, doc);
  }

  private AgentRows rows() throws IOException {
    KeyRing k = keys;
    if (k == null) {
      k = settings.keys();
      keys = k;
    }
    return new AgentRows(agentId, location(), k);
  }

  /**
   * A session advisory lock on a connection of its own: it must end with its session (a host that
   * dies releases it), not stay on a pooled connection. The wait is bounded by the longest a
   * refresh may take.
   */
  @Override
  public RefreshLock lockRefresh(String provider, String profileId) throws IOException {
    Connection c = db.dedicated();
    long key = lockKey(provider, profileId);
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(150);
      s.execute("SELECT pg_advisory_lock(" + key + ")");
    } catch (SQLException e) {
      closeQuietly(c);
      throw db.failed(e);
    }
    return () -> {
      // Closing the session releases the lock whether or not the unlock gets through.
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_unlock(" + key + ")");
      } catch (SQLException ignored) {
        // the session is gone, and its lock with it
      } finally {
        closeQuietly(c);
      }
    };
  }

  /** The same key for a profile on every host and in every agent: one refresh per account. */
  static long lockKey(String provider, String profileId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(("clawauth-oauth-refresh\0"
          + dev.clawauth.store.Providers.normalize(provider) + "\0" + profileId).getBytes(StandardCharsets.UTF_8));
      long k = 0;
      for (int i = 0; i < 8; i++) {
        k = (k << 8) | (d[i] & 0xff);
      }
      return k;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Object changeStamp() {
    return db.feed().version(agentId);
  }

  @Override
  public Optional<String> unavailable() {
    return db.unavailable();
  }

  @Override
  public String holderOf(String id) {
    return location();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }

  @Override
  public String toString() {
    return location();
  }
}
