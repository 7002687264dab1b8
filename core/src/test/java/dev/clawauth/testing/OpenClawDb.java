package dev.clawauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * OpenClaw 2026.9's state database as it leaves it for a state directory with credentials, made
 * here without OpenClaw: the table the shared store lives in and the row that says it is there.
 */
public final class OpenClawDb {
  private OpenClawDb() {}

  public static Path sharedDb(Path state) throws Exception {
    Path db = Files.createDirectories(state.resolve("state")).resolve("openclaw.sqlite");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL PRIMARY KEY,"
          + " value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT");
      st.execute("INSERT OR IGNORE INTO config_machine_state VALUES ('auth.sharedStore', '{\"location\":\"state-db\"}', 1)");
    }
    return db;
  }

  public static void setRow(Path db, String key, String json) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var ps = c.prepareStatement("INSERT INTO config_machine_state VALUES (?, ?, 1) ON CONFLICT(state_key)"
            + " DO UPDATE SET value_json = excluded.value_json")) {
      ps.setString(1, key);
      ps.setString(2, json);
      ps.executeUpdate();
    }
  }

  public static JsonNode row(Path db, String key) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var ps = c.prepareStatement("SELECT value_json FROM config_machine_state WHERE state_key = ?")) {
      ps.setString(1, key);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? new ObjectMapper().readTree(rs.getString(1)) : new ObjectMapper().missingNode();
      }
    }
  }
}
