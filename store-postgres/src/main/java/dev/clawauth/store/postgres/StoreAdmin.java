package dev.clawauth.store.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What an operator does to the whole database: list its agents, re-seal every secret with the current key. */
public final class StoreAdmin {
  private StoreAdmin() {}

  /** Every agent that has rows, in id order. */
  public static List<String> agentIds(PostgresSettings settings) throws IOException {
    PgDatabase db = PgDatabase.of(settings);
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("SELECT agent_id FROM clawauth_agents ORDER BY agent_id");
        ResultSet r = p.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw db.failed(e);
    }
  }

  /**
   * What a re-key did: the agents it updated and the profiles it sealed anew.
   *
   * @param resealed profiles sealed anew; {@code left} still under an older key (zero when done)
   */
  public record Rekeyed(int agents, int resealed, int left) {}

  /**
   * Seals every profile's secrets with the current key, in place: each agent is one update, which
   * re-seals what an older key sealed; the old keys must still be at hand to open it.
   */
  public static Rekeyed rekey(PostgresSettings settings) throws IOException {
    String current = settings.keys().currentId();
    int before = countOld(settings, current);
    List<String> agents = agentIds(settings);
    for (String id : agents) {
      try {
        PostgresBackend.open(settings, id).update(doc -> null);
      } catch (dev.clawauth.json.JsonFileException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    int left = countOld(settings, current);
    return new Rekeyed(agents.size(), before - left, left);
  }

  private static int countOld(PostgresSettings settings, String current) throws IOException {
    PgDatabase db = PgDatabase.of(settings);
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement(
        "SELECT count(*) FROM clawauth_profiles WHERE sealed IS NOT NULL AND key_id <> ?")) {
      p.setString(1, current);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    } catch (SQLException e) {
      throw db.failed(e);
    }
  }

  /** A new random AES-256 key, as a key file holds it (base64). */
  public static String newKey() {
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    return java.util.Base64.getEncoder().encodeToString(k);
  }
}
