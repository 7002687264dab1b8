package dev.clawauth.store.sqlite;

import dev.clawauth.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * Makes the databases OpenClaw 2026.9 would make, for the rare write that needs one before
 * OpenClaw has: an agent's {@code openclaw-agent.sqlite} with OpenClaw 2026.9.6's whole schema
 * (it refuses a partial one, and then that agent is locked out), or the state database with the
 * one table the shared store lives in (OpenClaw builds the rest around it). Each is built under a
 * temporary name and linked into place, so no program ever opens a half-made one, and an existing
 * file, OpenClaw's, is never replaced.
 */
final class AgentDatabase {
  private AgentDatabase() {}

  static final int AGENT_SCHEMA_VERSION = 23;
  static final String SCHEMA_APP_VERSION = "2026.9.6";
  private static final String SCHEMA = "openclaw-2026.9.6-agent-schema.sql";

  /** Creates agent {@code agentId}'s database at {@code file} unless a file is there already. */
  static void createAgentDb(Path file, String agentId, long now) throws IOException {
    create(file, db -> {
      // Only effective before the first table, as OpenClaw sets it.
      db.execute("PRAGMA auto_vacuum = INCREMENTAL");
      db.execute("BEGIN IMMEDIATE");
      execScript(db, schema());
      try (PreparedStatement ps = db.connection().prepareStatement("INSERT INTO schema_meta (meta_key, role,"
          + " schema_version, agent_id, app_version, created_at, updated_at) VALUES ('primary', 'agent', ?, ?, ?, ?, ?)")) {
        ps.setInt(1, AGENT_SCHEMA_VERSION);
        ps.setString(2, agentId);
        ps.setString(3, SCHEMA_APP_VERSION);
        ps.setLong(4, now);
        ps.setLong(5, now);
        ps.executeUpdate();
      }
      db.execute("INSERT INTO session_key_contract (id, main_key, canonical_ready, updated_at) VALUES (1, 'main', NULL, 0)");
      db.execute("INSERT INTO memory_index_state (id, revision) VALUES (1, 0)");
      db.execute("PRAGMA user_version = " + AGENT_SCHEMA_VERSION);
      db.execute("COMMIT");
    });
  }

  /** Creates the state database with the shared store's table, unless a file is there already. */
  static void createStateDb(Path file) throws IOException {
    create(file, db -> db.execute("CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL"
        + " PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT"));
  }

  @FunctionalInterface
  private interface Build {
    void run(SqliteDb db) throws SQLException, IOException;
  }

  private static void create(Path file, Build build) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    AtomicFiles.createPrivateDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(AtomicFiles.FILE_MODE));
    try {
      try (SqliteDb db = SqliteDb.openOrCreate(tmp)) {
        // A rollback journal leaves nothing beside the file once closed, so the link below is all of it.
        db.execute("PRAGMA journal_mode = DELETE");
        build.run(db);
      } catch (SQLException e) {
        throw SqliteDb.failure(file, "create", e);
      }
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException madeMeanwhile) {
        return;
      } catch (UnsupportedOperationException | IOException noLinks) {
        if (Files.exists(file)) {
          return;
        }
        // A file system without hard links: a plain rename, which could only lose a race to a
        // database made in the same instant.
        Files.move(tmp, file);
      }
      try (SqliteDb db = SqliteDb.open(file)) {
        db.execute("PRAGMA journal_mode = WAL");
      } catch (SQLException e) {
        throw SqliteDb.failure(file, "open", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String schema() throws IOException {
    try (InputStream in = AgentDatabase.class.getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IOException("the OpenClaw agent schema is missing from the Clawauth jar (" + SCHEMA + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs a script of many statements (trigger bodies hold ';' too) as sqlite3_exec does. */
  private static void execScript(SqliteDb db, String sql) throws SQLException {
    ((SQLiteConnection) db.connection()).getDatabase()._exec(sql);
  }
}
