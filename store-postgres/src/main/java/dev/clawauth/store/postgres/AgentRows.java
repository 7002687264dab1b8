package dev.clawauth.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * One agent's rows, read into an auth-profiles.json-shaped tree and written back by difference:
 * only profiles, usage entries and top-level fields that changed are written, and a profile's
 * secrets are sealed anew only when they changed (or were sealed with an older key).
 */
final class AgentRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was read: the tree, and each profile's sealed form as stored. */
  record Loaded(long version, ObjectNode tree, Map<String, Stored> sealed) {}

  /** A profile's row as stored: its secrets' JSON (opened) and the key that sealed them. */
  // Never compared or hashed: the sealed bytes are only written back as they were read.
  @SuppressWarnings("ArrayRecordComponent")
  record Stored(String secretsJson, String keyId, byte[] sealed) {}

  private final String agentId;
  private final String where;
  private final KeyRing keys;

  AgentRows(String agentId, String where, KeyRing keys) {
    this.agentId = agentId;
    this.where = where;
    this.keys = keys;
  }

  Loaded load(Connection c, long version, String docJson) throws SQLException, IOException {
    ObjectNode tree = Json.object();
    tree.put("version", 1);
    if (docJson != null) {
      tree = object(docJson, "the agent's document");
    }
    ObjectNode profiles = Json.object();
    Map<String, Stored> stored = new LinkedHashMap<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT profile_id, body, sealed, key_id FROM clawauth_profiles WHERE agent_id = ? ORDER BY position")) {
      p.setString(1, agentId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String id = r.getString(1);
          ObjectNode body = object(r.getString(2), "profile " + id);
          byte[] sealed = r.getBytes(3);
          ObjectNode secrets = null;
          String secretsJson = null;
          if (sealed != null) {
            secretsJson = open(id, sealed, r.getString(4));
            secrets = object(secretsJson, "profile " + id + "'s secrets");
          }
          profiles.set(id, SealedProfiles.join(body, secrets));
          stored.put(id, new Stored(secretsJson, r.getString(4), sealed));
        }
      }
    }
    ObjectNode usage = Json.object();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT profile_id, stats FROM clawauth_usage WHERE agent_id = ? ORDER BY position")) {
      p.setString(1, agentId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          usage.set(r.getString(1), parse(r.getString(2), "usage of " + r.getString(1)));
        }
      }
    }
    place(tree, "profiles", profiles, true);
    place(tree, "usageStats", usage, !usage.isEmpty());
    if (!tree.has("version")) {
      tree.put("version", 1);
    }
    return new Loaded(version, tree, stored);
  }

  /** Puts a section where its placeholder stands, else at the end. */
  private static void place(ObjectNode tree, String key, ObjectNode section, boolean wanted) {
    if (tree.has(key)) {
      tree.set(key, section);
    } else if (wanted) {
      tree.set(key, section);
    }
  }

  /** Writes what differs between {@code before} and {@code after}; returns whether anything did. */
  boolean write(Connection c, Loaded before, ObjectNode after) throws SQLException {
    boolean changed = false;
    ObjectNode doc = after.deepCopy();
    ObjectNode was = before.tree().deepCopy();
    for (String section : List.of("profiles", "usageStats")) {
      if (doc.has(section)) {
        doc.set(section, NullNode.instance);
      }
      if (was.has(section)) {
        was.set(section, NullNode.instance);
      }
    }
    if (!doc.equals(was)) {
      try (PreparedStatement p = c.prepareStatement("UPDATE clawauth_agents SET doc = ?::json WHERE agent_id = ?")) {
        p.setString(1, JsonText.compact(doc));
        p.setString(2, agentId);
        p.executeUpdate();
      }
      changed = true;
    }
    changed |= writeProfiles(c, before, section(before.tree(), "profiles"), section(after, "profiles"));
    changed |= writeUsage(c, section(before.tree(), "usageStats"), section(after, "usageStats"));
    return changed;
  }

  private boolean writeProfiles(Connection c, Loaded before, ObjectNode was, ObjectNode now) throws SQLException {
    List<String> oldIds = new ArrayList<>();
    was.fieldNames().forEachRemaining(oldIds::add);
    boolean changed = false;
    try (PreparedStatement upsert = c.prepareStatement("INSERT INTO clawauth_profiles"
        + " (agent_id, profile_id, position, body, sealed, key_id) VALUES (?, ?, ?, ?::json, ?, ?)"
        + " ON CONFLICT (agent_id, profile_id) DO UPDATE SET position = excluded.position, body = excluded.body,"
        + " sealed = excluded.sealed, key_id = excluded.key_id")) {
      int pos = 0;
      for (var e : now.properties()) {
        String id = e.getKey();
        JsonNode old = was.get(id);
        Stored stored = before.sealed().get(id);
        boolean samePlace = pos < oldIds.size() && oldIds.get(pos).equals(id);
        boolean currentKey = stored == null || stored.sealed() == null || keys.currentId().equals(stored.keyId());
        if (e.getValue().equals(old) && samePlace && currentKey) {
          pos++;
          continue;
        }
        SealedProfiles.Split split = SealedProfiles.split(e.getValue());
        upsert.setString(1, agentId);
        upsert.setString(2, id);
        upsert.setInt(3, pos);
        upsert.setString(4, JsonText.compact(split.body()));
        if (split.secrets() == null) {
          upsert.setBytes(5, null);
          upsert.setString(6, null);
        } else {
          String secrets = JsonText.compact(split.secrets());
          boolean reuse = stored != null && stored.sealed() != null && currentKey && secrets.equals(stored.secretsJson());
          upsert.setBytes(5, reuse ? stored.sealed() : seal(id, secrets));
          upsert.setString(6, keys.currentId());
        }
        upsert.addBatch();
        changed = true;
        pos++;
      }
      if (changed) {
        upsert.executeBatch();
      }
    }
    return deleteMissing(c, "clawauth_profiles", oldIds, now) || changed;
  }

  private boolean writeUsage(Connection c, ObjectNode was, ObjectNode now) throws SQLException {
    List<String> oldIds = new ArrayList<>();
    was.fieldNames().forEachRemaining(oldIds::add);
    boolean changed = false;
    try (PreparedStatement upsert = c.prepareStatement("INSERT INTO clawauth_usage (agent_id, profile_id, position, stats)"
        + " VALUES (?, ?, ?, ?::json) ON CONFLICT (agent_id, profile_id) DO UPDATE SET position = excluded.position,"
        + " stats = excluded.stats")) {
      int pos = 0;
      for (var e : now.properties()) {
        boolean samePlace = pos < oldIds.size() && oldIds.get(pos).equals(e.getKey());
        if (!e.getValue().equals(was.get(e.getKey())) || !samePlace) {
          upsert.setString(1, agentId);
          upsert.setString(2, e.getKey());
          upsert.setInt(3, pos);
          upsert.setString(4, JsonText.compact(e.getValue()));
          upsert.addBatch();
          changed = true;
        }
        pos++;
      }
      if (changed) {
        upsert.executeBatch();
      }
    }
    return deleteMissing(c, "clawauth_usage", oldIds, now) || changed;
  }

  private boolean deleteMissing(Connection c, String table, List<String> oldIds, ObjectNode now) throws SQLException {
    List<String> gone = oldIds.stream().filter(id -> !now.has(id)).toList();
    if (gone.isEmpty()) {
      return false;
    }
    try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE agent_id = ? AND profile_id = ANY (?)")) {
      p.setString(1, agentId);
      p.setArray(2, c.createArrayOf("text", gone.toArray()));
      p.executeUpdate();
    }
    return true;
  }

  private byte[] seal(String profileId, String secretsJson) {
    return SecretBox.seal(keys.current(), agentId, profileId, secretsJson);
  }

  private String open(String profileId, byte[] sealed, String keyId) throws IOException {
    SecretKey key = keys.get(keyId).orElseThrow(() -> new IOException("profile " + profileId + " of agent " + agentId
        + " in " + where + " is sealed with key " + keyId + ", which this host does not hold (it has "
        + keys.currentId() + "); add that key to store.previousKeyFiles"));
    try {
      return SecretBox.open(key, agentId, profileId, sealed);
    } catch (GeneralSecurityException e) {
      throw new IOException("profile " + profileId + " of agent " + agentId + " in " + where
          + " does not decrypt with key " + keyId + ": the row was altered or copied from another profile;"
          + " Clawauth will not overwrite it. Remove the profile and store it again");
    }
  }

  private static ObjectNode section(ObjectNode tree, String key) {
    return tree.get(key) instanceof ObjectNode o ? o : Json.object();
  }

  private ObjectNode object(String json, String what) throws IOException {
    if (!(parse(json, what) instanceof ObjectNode o)) {
      throw new IOException(what + " of agent " + agentId + " in " + where + " is not a JSON object");
    }
    return o;
  }

  private JsonNode parse(String json, String what) throws IOException {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(what + " of agent " + agentId + " in " + where + " is not valid JSON");
    }
  }
}
