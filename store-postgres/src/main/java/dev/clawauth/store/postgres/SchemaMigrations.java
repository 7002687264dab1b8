package dev.clawauth.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resolver.ChecksumCalculator;

/**
 * Brings the schema forward with Flyway: versioned SQL files under {@value #LOCATION} (a new one
 * goes after the last and is never edited once released), applied to the store's schema, with
 * Flyway's history table ({@value #HISTORY}) in that schema. Flyway takes an advisory lock, so
 * hosts starting together apply each file once, and applies all pending files in one transaction
 * (PostgreSQL's DDL is transactional, so a failed upgrade leaves the old schema whole); it refuses an applied file whose checksum
 * changed, and (no migration pattern ignored) an applied version this build does not have.
 *
 * <p>Opening an up-to-date store costs one query: the history table's latest row against this
 * build's latest file (version and checksum). Only when they differ is Flyway called, so the CLI,
 * which opens the store on every command, does not load and run Flyway each time; and a role
 * without CREATE on the database can use a schema an administrator made.
 *
 * <p>A schema made by the build before Flyway (its own {@value #LEGACY} table with 001 applied,
 * the same text as {@code V1__init.sql}) is baselined at version 1: Flyway records V1 as applied
 * and runs only what comes after.
 */
final class SchemaMigrations {
  static final String LOCATION = "db/clawauth/postgres";
  /** This build's latest migration: updated with each new file (a test holds it to Flyway's own list). */
  static final String LATEST = "V1__init.sql";
  static final String HISTORY = "flyway_schema_history";
  /** The table of the runner before Flyway: version, name, sha256, applied_at. */
  static final String LEGACY = "clawauth_schema";
  /** What that runner called 001_init.sql, word for word. */
  private static final String LEGACY_001 = "V1__init.sql";

  private SchemaMigrations() {}

  /** Brings {@code schema} up to this build's latest migration, or says why it cannot. */
  static void apply(DataSource ds, String schema) throws SQLException, IOException {
    if (upToDate(ds, schema)) {
      return;
    }
    try {
      flyway(ds, schema, legacyBaseline(ds, schema)).load().migrate();
    } catch (FlywayException e) {
      SQLException sql = sqlCause(e);
      if (sql != null && connectionFailed(sql)) {
        throw sql;
      }
      throw new IOException("the schema " + schema + " could not be brought forward: " + oneLine(e), e);
    }
  }

  static FluentConfiguration flyway(DataSource ds, String schema, boolean baseline) {
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .dataSource(ds)
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        // All pending files in one transaction: a failed upgrade leaves the schema as it was.
        .group(true)
        .table(HISTORY)
        .locations("classpath:" + LOCATION)
        // Nothing ignored: an applied version this build lacks (a newer build's) fails validation.
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .cleanDisabled(true)
        .loggers("slf4j")
        .baselineOnMigrate(baseline)
        .baselineVersion("1")
        .baselineDescription(LEGACY + " 001_init.sql");
  }

  /**
   * Whether the history table's latest row is this build's latest migration as this build has it:
   * one query, no DDL. A version newer than this build's is refused here with a plain message.
   */
  private static boolean upToDate(DataSource ds, String schema) throws SQLException, IOException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT version, checksum, type, success FROM " + schema + "." + HISTORY
          + " WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
        if (!r.next()) {
          return false;
        }
        String version = r.getString(1);
        int checksum = r.getInt(2);
        boolean noChecksum = r.wasNull();
        String type = r.getString(3);
        boolean success = r.getBoolean(4);
        int newer = MigrationVersion.fromVersion(version).compareTo(latestVersion());
        if (newer > 0 && success) {
          throw newer(schema, version);
        }
        return newer == 0 && success
            && (noChecksum ? "BASELINE".equals(type) : checksum == latestChecksum());
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
        return false; // no history table (or no schema) yet
      }
      throw e;
    }
  }

  /**
   * Whether the schema was made by the runner before Flyway and should be baselined at 1: its
   * table shows 001 applied with this build's text, and Flyway's table is not there yet.
   */
  private static boolean legacyBaseline(DataSource ds, String schema) throws SQLException, IOException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT to_regclass('" + schema + "." + LEGACY + "') IS NOT NULL"
          + " AND to_regclass('" + schema + "." + HISTORY + "') IS NULL")) {
        r.next();
        if (!r.getBoolean(1)) {
          return false;
        }
      }
      boolean one = false;
      try (ResultSet r = s.executeQuery("SELECT version, sha256 FROM " + schema + "." + LEGACY + " ORDER BY version")) {
        while (r.next()) {
          if (r.getInt(1) > 1) {
            throw newer(schema, Integer.toString(r.getInt(1)));
          }
          if (r.getInt(1) == 1) {
            if (!sha256(text(LEGACY_001)).equals(r.getString(2))) {
              throw new IOException("migration 001_init.sql applied to schema " + schema + " (" + LEGACY
                  + ") differs from this build's " + LEGACY_001
                  + "; the schema was changed by hand or by another build");
            }
            one = true;
          }
        }
      }
      return one;
    }
  }

  private static IOException newer(String schema, String version) throws IOException {
    return new IOException("the database's schema " + schema + " is at version " + version + ", newer than this"
        + " Clawauth knows (" + latestVersion() + "); upgrade Clawauth on this host");
  }

  static MigrationVersion latestVersion() {
    return MigrationVersion.fromVersion(LATEST.substring(1, LATEST.indexOf("__")));
  }

  /** Flyway's own checksum of the latest file, as its history table holds it. */
  static int latestChecksum() {
    return ChecksumCalculator.calculate(new LoadableResource() {
      @Override
      public Reader read() {
        InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(getAbsolutePath());
        if (in == null) {
          throw new UncheckedIOException(new IOException("migration " + getAbsolutePath() + " is missing from the jar"));
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
      }

      @Override
      public String getAbsolutePath() {
        return LOCATION + "/" + LATEST;
      }

      @Override
      public String getAbsolutePathOnDisk() {
        return getAbsolutePath();
      }

      @Override
      public String getFilename() {
        return LATEST;
      }

      @Override
      public String getRelativePath() {
        return LATEST;
      }
    });
  }

  private static String text(String file) throws IOException {
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(LOCATION + "/" + file)) {
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

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  private static boolean connectionFailed(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P03");
  }

  /** Flyway's message on one line, without its advertising of documentation links. */
  static String oneLine(FlywayException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.contains("http"))
        .filter(l -> !l.startsWith("Need more flexibility"))
        .collect(Collectors.joining("; "));
  }
}
