package dev.clawauth.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.StatePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads where an OpenClaw 2026.9 state directory keeps its shared store, and lays out an agent's stores. */
public final class SqliteLayouts {
  private SqliteLayouts() {}

  /** The agent whose directory OpenClaw's shared store belongs to. */
  static final String MAIN = "main";

  /**
   * What the {@code auth.sharedStore} row of the state database says, if the database and the row
   * exist.
   *
   * @throws IOException when the row holds a location OpenClaw does not know (OpenClaw refuses it too)
   */
  public static Optional<SqliteLayout.Shared> declaredLocation(Path sharedDb) throws IOException {
    if (!Files.isRegularFile(sharedDb)) {
      return Optional.empty();
    }
    Optional<String> row;
    try (SqliteDb db = SqliteDb.open(sharedDb)) {
      row = db.snapshot(d -> d.text(AuthRows.MachineState.TABLE, "state_key", "value_json",
          AuthRows.MachineState.OWNERSHIP_KEY));
    }
    if (row.isEmpty()) {
      return Optional.empty();
    }
    String where = sharedDb + " (row " + AuthRows.MachineState.OWNERSHIP_KEY + ")";
    JsonNode n;
    try {
      n = Json.parseStrict(sharedDb, where, "Let OpenClaw repair it (openclaw doctor --fix).", row.get());
    } catch (JsonFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    return switch (n.path("location").asText("")) {
      case "state-db" -> Optional.of(SqliteLayout.Shared.STATE_DB);
      case "legacy-main" -> Optional.of(SqliteLayout.Shared.LEGACY_MAIN);
      default -> throw new IOException(where + ": the shared store's location is neither \"state-db\" nor"
          + " \"legacy-main\"; OpenClaw refuses it too. Let OpenClaw repair it (openclaw doctor --fix).");
    };
  }

  /** The declared location, else the state database when it exists, else main's agent database. */
  public static SqliteLayout.Shared sharedLocation(StatePaths paths) throws IOException {
    Path sharedDb = paths.stateDir().resolve(SqliteLayout.SHARED_DB);
    return declaredLocation(sharedDb).orElse(SqliteLayout.Shared.STATE_DB);
  }

  /**
   * An agent's layout.
   *
   * @param mainAgentDir main's agent directory, whose database is the shared store in the
   *     legacy-main layout
   */
  public static SqliteLayout layout(StatePaths paths, SqliteLayout.Shared shared, String agentId, Path agentDir,
      Path mainAgentDir) {
    Path sharedDb = shared == SqliteLayout.Shared.STATE_DB ? paths.stateDir().resolve(SqliteLayout.SHARED_DB)
        : mainAgentDir.resolve(SqliteLayout.AGENT_DB);
    return new SqliteLayout(paths.stateDir(), sharedDb, shared, agentDir.resolve(SqliteLayout.AGENT_DB), agentId,
        !agentId.equals(MAIN));
  }
}
