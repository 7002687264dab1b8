package dev.clawauth.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.testing.PgCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The schema brings itself forward once, however many hosts start together, refuses what it does
 * not know, and takes over a schema made by the runner before Flyway.
 */
class SchemaMigrationsTest {

  /** A host's own connections (not shared with the other hosts of a test). */
  private static DataSource host(PgTestDb db) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL("jdbc:postgresql://127.0.0.1:" + db.cluster.port() + "/postgres");
    ds.setUser(PgCluster.USER);
    ds.setPassword(db.cluster.password());
    ds.setCurrentSchema(db.schema);
    return ds;
  }

  private static int count(PgTestDb db, String where) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + SchemaMigrations.HISTORY + " WHERE " + where)) {
      r.next();
      return r.getInt(1);
    }
  }

  private static void startTogether(int hosts, PgTestDb db) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(hosts);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < hosts; i++) {
        DataSource ds = host(db);
        started.add(pool.submit(() -> {
          go.await();
          SchemaMigrations.apply(ds, db.schema);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> h : started) {
        h.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void hostsStartingTogetherApplyEachMigrationOnce() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    startTogether(4, db);
    assertThat(count(db, "type = 'SQL' AND success")).isEqualTo(1);
    SchemaMigrations.apply(host(db), db.schema);
    assertThat(count(db, "type = 'SQL' AND success")).isEqualTo(1);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM clawauth_agents, clawauth_profiles, clawauth_usage").close();
    }
  }

  @Test
  void theFastPathKnowsThisBuildsLatestMigrationAsFlywayHasIt() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    DataSource ds = host(db);
    SchemaMigrations.apply(ds, db.schema);
    MigrationInfo[] all = SchemaMigrations.flyway(ds, db.schema, false).load().info().all();
    MigrationInfo last = all[all.length - 1];
    assertThat(last.getScript()).isEqualTo(SchemaMigrations.LATEST);
    assertThat(last.getChecksum()).isEqualTo(SchemaMigrations.latestChecksum());
    assertThat(last.getVersion()).isEqualTo(SchemaMigrations.latestVersion());
  }

  @Test
  void aSchemaNewerThanThisBuildOrAnEditedMigrationIsRefused() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    DataSource ds = host(db);
    SchemaMigrations.apply(ds, db.schema);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO " + SchemaMigrations.HISTORY + " (installed_rank, version, description, type,"
          + " script, checksum, installed_by, execution_time, success)"
          + " VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 1, 'clawauth', 0, true)");
      assertThatThrownBy(() -> SchemaMigrations.apply(ds, db.schema)).isInstanceOf(IOException.class)
          .hasMessage("the database's schema " + db.schema + " is at version 99, newer than this Clawauth knows (1);"
              + " upgrade Clawauth on this host");
      // Flyway itself, called without the fast path, refuses it too (no migration pattern ignored).
      assertThat(SchemaMigrations.flyway(ds, db.schema, false).load().validateWithResult().validationSuccessful)
          .isFalse();
      s.executeUpdate("DELETE FROM " + SchemaMigrations.HISTORY + " WHERE version = '99'");
      s.executeUpdate("UPDATE " + SchemaMigrations.HISTORY + " SET checksum = 12345 WHERE version = '1'");
      assertThatThrownBy(() -> SchemaMigrations.apply(ds, db.schema)).isInstanceOf(IOException.class)
          .hasMessageContaining("could not be brought forward").hasMessageContaining("checksum mismatch")
          .hasMessageContaining("version 1").hasMessageNotContaining("\n");
    }
  }

  /** The schema as the build before Flyway left it: its tables, its own history table, a row of data. */
  private static void oldRunner(PgTestDb db, String sha256) throws Exception {
    String sql = new String(SchemaMigrationsTest.class.getClassLoader()
        .getResourceAsStream("db/clawauth/postgres/V1__init.sql").readAllBytes(), StandardCharsets.UTF_8);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + db.schema);
      s.execute("SET search_path TO " + db.schema);
      s.execute("CREATE TABLE clawauth_schema (version integer PRIMARY KEY, name text NOT NULL,"
          + " sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      s.execute(sql);
      s.execute("INSERT INTO clawauth_schema (version, name, sha256) VALUES (1, '001_init.sql', '"
          + (sha256 != null ? sha256 : HexFormat.of().formatHex(
              MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)))) + "')");
      s.execute("INSERT INTO clawauth_agents (agent_id, version, doc) VALUES ('main', 7, '{\"order\":{}}')");
    }
  }

  @Test
  void aSchemaMadeByTheRunnerBeforeFlywayIsBaselinedAndKeepsItsRows() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    oldRunner(db, null);
    startTogether(3, db);
    assertThat(count(db, "type = 'BASELINE' AND version = '1' AND success")).isEqualTo(1);
    assertThat(count(db, "type = 'SQL'")).isZero();
    SchemaMigrations.apply(host(db), db.schema);
    assertThat(count(db, "true")).isEqualTo(1);
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version FROM clawauth_agents WHERE agent_id = 'main'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getLong(1)).isEqualTo(7);
    }
  }

  @Test
  void aSchemaMadeByTheRunnerBeforeFlywayWithAnotherInitIsRefused() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    oldRunner(db, "edited");
    assertThatThrownBy(() -> SchemaMigrations.apply(host(db), db.schema)).isInstanceOf(IOException.class)
        .hasMessageContaining("001_init.sql").hasMessageContaining("differs from this build's");
  }
}
