package dev.clawauth.store.postgres;

import dev.clawauth.testing.PgCluster;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh schema on the test cluster for each test, and a state directory whose clawauth.json
 * selects it. Without PostgreSQL the test is skipped with the reason, unless
 * {@code CLAWAUTH_REQUIRE_POSTGRES=1} (CI) makes that a failure.
 */
final class PgTestDb {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  final PgCluster cluster;
  final String schema;

  private PgTestDb(PgCluster cluster, String schema) {
    this.cluster = cluster;
    this.schema = schema;
  }

  static PgTestDb fresh() {
    return new PgTestDb(PgCluster.forTest(), "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet());
  }

  /** A state directory using this schema: key in a file, password in the environment. */
  StateFixture state(Path root) throws IOException {
    StateFixture f = new StateFixture(root);
    Files.createDirectories(f.state);
    Files.writeString(f.state.resolve("store.key"), TestSecrets.get("STORE_KEY") + "\n");
    Files.writeString(f.state.resolve("clawauth.json"), settingsJson("store.key"));
    f.set("CLAWAUTH_STORE_PASSWORD", cluster.password());
    return f;
  }

  String settingsJson(String keyFile) {
    return "{ store: { url: \"" + cluster.url() + "\", schema: \"" + schema + "\", keyFile: \"" + keyFile + "\" } }\n";
  }

  /** A plain connection to this schema, for looking at rows as an operator would. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", PgCluster.USER);
    p.setProperty("password", cluster.password());
    p.setProperty("currentSchema", schema);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/postgres", p);
  }
}
