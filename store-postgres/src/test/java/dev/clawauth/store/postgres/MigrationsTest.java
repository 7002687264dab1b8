package dev.clawauth.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The schema brings itself forward once, however many hosts start together, and refuses what it does not know. */
class MigrationsTest {

  private static int applied(PgTestDb db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM clawauth_schema")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void hostsStartingTogetherApplyEachMigrationOnce() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> hosts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        hosts.add(pool.submit(() -> {
          go.await();
          try (Connection c = db.connect()) {
            Migrations.apply(c, db.schema);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> h : hosts) {
        h.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(applied(db)).isEqualTo(Migrations.FILES.size());
    try (Connection c = db.connect()) {
      Migrations.apply(c, db.schema);
    }
    assertThat(applied(db)).isEqualTo(Migrations.FILES.size());
  }

  @Test
  void aSchemaNewerThanThisBuildOrAnEditedMigrationIsRefused() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      Migrations.apply(c, db.schema);
      s.executeUpdate("INSERT INTO clawauth_schema (version, name, sha256) VALUES (99, '099_future.sql', 'x')");
      assertThatThrownBy(() -> Migrations.apply(c, db.schema)).isInstanceOf(IOException.class)
          .hasMessageContaining("version 99, newer than this Clawauth knows");
      s.executeUpdate("DELETE FROM clawauth_schema WHERE version = 99");
      s.executeUpdate("UPDATE clawauth_schema SET sha256 = 'edited' WHERE version = 1");
      assertThatThrownBy(() -> Migrations.apply(c, db.schema)).isInstanceOf(IOException.class)
          .hasMessageContaining("001_init.sql").hasMessageContaining("differs from this build's");
    }
  }
}
