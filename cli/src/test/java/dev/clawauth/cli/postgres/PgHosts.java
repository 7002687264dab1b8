package dev.clawauth.cli.postgres;

import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.testing.PgCluster;
import dev.clawauth.testing.TestSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gateway hosts for the end-to-end tests of the PostgreSQL store: each its own state directory
 * (as on its own machine) with the same openclaw.json and a clawauth.json naming one schema of the
 * test cluster; the key in a file, the password in the environment. Skipped without PostgreSQL,
 * unless {@code CLAWAUTH_REQUIRE_POSTGRES=1} (CI).
 */
final class PgHosts {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  final PgCluster cluster;
  final String schema;
  final Path root;

  PgHosts(Path root) {
    this.cluster = PgCluster.forTest();
    this.schema = "e" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    this.root = root;
  }

  Path state(String host) {
    return root.resolve(host).resolve("state");
  }

  /** Host {@code host}'s state directory, with {@code openclaw} as its openclaw.json. */
  ClawauthProcess host(String host, String openclaw) throws IOException {
    Path state = state(host);
    Files.createDirectories(state);
    Files.writeString(state.resolve("openclaw.json"), openclaw);
    Files.writeString(state.resolve("store.key"), TestSecrets.get("STORE_KEY") + "\n");
    Files.writeString(state.resolve("clawauth.json"), "{ store: { url: '" + cluster.url() + "', schema: '" + schema
        + "', keyFile: 'store.key' } }\n");
    Path home = Files.createDirectories(root.resolve(host).resolve("home"));
    return new ClawauthProcess(home, state).env("CLAWAUTH_STORE_PASSWORD", cluster.password());
  }

  /** A host whose state directory keeps its credentials in the files, with the key and password at hand. */
  ClawauthProcess filesHost(String host, String openclaw) throws IOException {
    ClawauthProcess p = host(host, openclaw);
    Files.delete(state(host).resolve("clawauth.json"));
    return p.env("CLAWAUTH_STORE_KEY", TestSecrets.get("STORE_KEY"));
  }

  /** Writes agent {@code agent}'s auth-profiles.json on {@code host}. */
  Path writeFile(String host, String agent, String json) throws IOException {
    Path file = state(host).resolve("agents").resolve(agent).resolve("agent/auth-profiles.json");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, json);
  }

  String url() {
    return cluster.url();
  }
}
