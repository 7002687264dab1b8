package dev.clawauth.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the schema forward: numbered SQL files, each applied once, all pending ones in one
 * transaction (PostgreSQL's DDL is transactional, so a failed upgrade leaves the old schema
 * whole) under an advisory lock, so hosts starting together apply them once. An applied file
 * whose text changed, or a schema newer than this build knows, is refused.
 */
final class Migrations {
  /** In order; a new file goes at the end and is never edited once released. */
  static final List<String> FILES = List.of("001_init.sql");
  private static final long LOCK_KEY = 0x636c6177_6d696772L;

  private Migrations() {}

  static void apply(Connection c, String schema) throws SQLException, IOException {
    if (upToDate(c, schema)) {
      return;
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      s.execute("SET LOCAL search_path TO " + schema);
      s.execute("CREATE TABLE IF NOT EXISTS clawauth_schema (version integer PRIMARY KEY, name text NOT NULL,"
          + " sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      Map<Integer, String[]> applied = new LinkedHashMap<>();
      try (ResultSet r = s.executeQuery("SELECT version, name, sha256 FROM clawauth_schema ORDER BY version")) {
        while (r.next()) {
          applied.put(r.getInt(1), new String[] {r.getString(2), r.getString(3)});
        }
      }
      for (int v : applied.keySet()) {
        if (v > FILES.size()) {
          throw new IOException("the database's schema " + schema + " is at version " + v + ", newer than this"
              + " Clawauth knows (" + FILES.size() + "); upgrade Clawauth on this host");
        }
      }
      for (int i = 0; i < FILES.size(); i++) {
        String sql = text(FILES.get(i));
        String sum = sha256(sql);
        String[] done = applied.get(i + 1);
        if (done != null) {
          if (!done[1].equals(sum)) {
            throw new IOException("migration " + FILES.get(i) + " applied to schema " + schema
                + " differs from this build's; the schema was changed by hand or by another build");
          }
          continue;
        }
        s.execute(sql);
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO clawauth_schema (version, name, sha256) VALUES (?, ?, ?)")) {
          p.setInt(1, i + 1);
          p.setString(2, FILES.get(i));
          p.setString(3, sum);
          p.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException | IOException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * Whether every migration is applied as this build has it: then no DDL is run, which a role
   * without CREATE on the database (its schema made by an administrator) could not run.
   */
  private static boolean upToDate(Connection c, String schema) throws SQLException, IOException {
    Map<Integer, String> applied = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT to_regclass('" + schema + ".clawauth_schema') IS NOT NULL")) {
        r.next();
        if (!r.getBoolean(1)) {
          return false;
        }
      }
      try (ResultSet r = s.executeQuery("SELECT version, sha256 FROM " + schema + ".clawauth_schema")) {
        while (r.next()) {
          applied.put(r.getInt(1), r.getString(2));
        }
      }
    }
    for (int i = 0; i < FILES.size(); i++) {
      if (!sha256(text(FILES.get(i))).equals(applied.get(i + 1))) {
        return false;
      }
    }
    return applied.size() == FILES.size();
  }

  private static String text(String file) throws IOException {
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
      if (in == null) {
        throw new IOException("migration " + file + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
