package dev.clawauth.store.sqlite;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Where one database keeps a credential document and a runtime-state document (each a JSON
 * text): the shared store's two rows of {@code config_machine_state}, or an agent database's
 * {@code auth_profile_store} and {@code auth_profile_state} rows keyed {@code primary}.
 */
sealed interface AuthRows {

  /** The JSON of the credentials ({@code {"version":1,"profiles":{…}}}), if the row exists. */
  Optional<String> readStore(SqliteDb db) throws SQLException;

  /** The JSON of the runtime state ({@code {"version":1,"order"?,"lastGood"?,"usageStats"?}}). */
  Optional<String> readState(SqliteDb db) throws SQLException;

  void writeStore(SqliteDb db, String json, long now) throws SQLException;

  void writeState(SqliteDb db, String json, long now) throws SQLException;

  void deleteState(SqliteDb db) throws SQLException;

  /** How messages name the row of {@code document} ("store" or "state"). */
  String describe(String document);

  /** The shared store in {@code <state>/state/openclaw.sqlite}. */
  record MachineState() implements AuthRows {
    static final String TABLE = "config_machine_state";
    static final String OWNERSHIP_KEY = "auth.sharedStore";
    static final String STORE_KEY = "authProfiles.store";
    static final String STATE_KEY = "authProfiles.state";

    @Override
    public Optional<String> readStore(SqliteDb db) throws SQLException {
      return db.text(TABLE, "state_key", "value_json", STORE_KEY);
    }

    @Override
    public Optional<String> readState(SqliteDb db) throws SQLException {
      return db.text(TABLE, "state_key", "value_json", STATE_KEY);
    }

    @Override
    public void writeStore(SqliteDb db, String json, long now) throws SQLException {
      ensureTable(db);
      db.upsert(TABLE, "state_key", "value_json", "updated_at_ms", STORE_KEY, json, now);
      if (db.text(TABLE, "state_key", "value_json", OWNERSHIP_KEY).isEmpty()) {
        // Without it OpenClaw reads the shared store from main's agent database instead.
        db.upsert(TABLE, "state_key", "value_json", "updated_at_ms", OWNERSHIP_KEY,
            "{\"location\":\"state-db\"}", now);
      }
    }

    @Override
    public void writeState(SqliteDb db, String json, long now) throws SQLException {
      ensureTable(db);
      db.upsert(TABLE, "state_key", "value_json", "updated_at_ms", STATE_KEY, json, now);
    }

    @Override
    public void deleteState(SqliteDb db) throws SQLException {
      if (db.hasTable(TABLE)) {
        db.delete(TABLE, "state_key", STATE_KEY);
      }
    }

    private static void ensureTable(SqliteDb db) throws SQLException {
      // OpenClaw builds the rest of its schema around this table on its next open.
      db.execute("CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL PRIMARY KEY,"
          + " value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT");
    }

    @Override
    public String describe(String document) {
      return "row " + (document.equals("state") ? STATE_KEY : STORE_KEY) + " of " + TABLE;
    }
  }

  /** An agent's own rows in its {@code openclaw-agent.sqlite}. */
  record Agent() implements AuthRows {
    static final String KEY = "primary";

    @Override
    public Optional<String> readStore(SqliteDb db) throws SQLException {
      return db.text("auth_profile_store", "store_key", "store_json", KEY);
    }

    @Override
    public Optional<String> readState(SqliteDb db) throws SQLException {
      return db.text("auth_profile_state", "state_key", "state_json", KEY);
    }

    @Override
    public void writeStore(SqliteDb db, String json, long now) throws SQLException {
      db.upsert("auth_profile_store", "store_key", "store_json", "updated_at", KEY, json, now);
    }

    @Override
    public void writeState(SqliteDb db, String json, long now) throws SQLException {
      db.upsert("auth_profile_state", "state_key", "state_json", "updated_at", KEY, json, now);
    }

    @Override
    public void deleteState(SqliteDb db) throws SQLException {
      db.delete("auth_profile_state", "state_key", KEY);
    }

    @Override
    public String describe(String document) {
      return "row " + KEY + " of " + (document.equals("state") ? "auth_profile_state" : "auth_profile_store");
    }
  }
}
