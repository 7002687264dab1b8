package dev.clawauth.store.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies of a shared OAuth profile in other agents' databases that hold the same refresh token
 * (OpenClaw's refresh "peers"). Once the shared profile is refreshed, that token is spent: a copy
 * left behind would be refreshed with it and fail, so each is removed and its agent reads the
 * shared profile again, as OpenClaw does after its own refresh.
 */
final class Peers {
  private Peers() {}

  /** Removes, one database at a time, every other agent's copy of {@code id} holding {@code spentRefresh}. */
  static List<Path> retire(SqliteLayout layout, String id, String spentRefresh, long now) throws IOException {
    List<Path> retired = new ArrayList<>();
    for (Path db : agentDatabases(layout.stateDir())) {
      if (db.equals(layout.ownDb()) || db.equals(layout.sharedDb())) {
        continue;
      }
      try (SqliteDb conn = SqliteDb.open(db)) {
        boolean removed = conn.immediate(d -> {
          AuthRows rows = new AuthRows.Agent();
          var json = rows.readStore(d);
          if (json.isEmpty()) {
            return false;
          }
          ObjectNode store;
          try {
            store = (ObjectNode) dev.clawauth.json.Json.parseStrict(db, json.get());
          } catch (JsonFileException | ClassCastException unreadable) {
            return false;
          }
          if (!(store.path("profiles").get(id) instanceof ObjectNode copy)
              || !copy.path("type").asText().equals("oauth")
              || !copy.path("refresh").asText("").equals(spentRefresh)
              || copy.path("copyToAgents").asBoolean(false)) {
            return false;
          }
          ((ObjectNode) store.get("profiles")).remove(id);
          rows.writeStore(d, dev.clawauth.json.JsonText.compact(store), now);
          return true;
        });
        if (removed) {
          retired.add(db);
        }
      }
    }
    return retired;
  }

  private static List<Path> agentDatabases(Path stateDir) throws IOException {
    List<Path> out = new ArrayList<>();
    Path agents = stateDir.resolve("agents");
    if (!Files.isDirectory(agents)) {
      return out;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(agents)) {
      for (Path d : dirs) {
        Path db = d.resolve("agent").resolve(SqliteLayout.AGENT_DB);
        if (Files.isRegularFile(db)) {
          out.add(db.toAbsolutePath().normalize());
        }
      }
    }
    return out;
  }
}
