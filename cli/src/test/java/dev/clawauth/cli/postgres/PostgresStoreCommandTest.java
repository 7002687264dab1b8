package dev.clawauth.cli.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clawauth store migrate} there and back, and {@code models status} naming the store, on the real jar. */
class PostgresStoreCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  static String store(String key, String key2) {
    return "{\"version\":1,\"profiles\":{"
        + "\"anthropic:a\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"" + key + "\",\"x-kept\":true},"
        + "\"anthropic:b\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"" + key2 + "\"}},"
        + "\"order\":{\"anthropic\":[\"anthropic:b\",\"anthropic:a\"]},"
        + "\"usageStats\":{\"anthropic:a\":{\"lastUsed\":1800000000000,\"errorCount\":0}}}";
  }

  @Test
  void migratesTheFilesIntoTheDatabaseAndBackWithADryRunFirst() throws Exception {
    PgHosts hosts = new PgHosts(tmp);
    ClawauthProcess files = hosts.filesHost("a", "{}");
    String original = store(TestSecrets.get("ANTHROPIC_KEY"), TestSecrets.get("ANTHROPIC_KEY_2"));
    hosts.writeFile("a", "main", original);
    hosts.writeFile("a", "work", "{\"version\":1,\"profiles\":{}}");
    String[] target = {"--schema", hosts.schema, "--key-file", "store.key"};

    var dry = files.run(concat(new String[] {"store", "migrate", "--to", hosts.url(), "--dry-run"}, target));
    assertThat(dry.exitCode()).as(dry.stderr()).isZero();
    assertThat(dry.stdout()).contains("would copy agent main: 2 profile(s), 1 order(s), 1 usage entry")
        .contains("would copy agent work: 0 profile(s)").contains("Dry run: nothing was written.");

    var moved = files.run(concat(new String[] {"store", "migrate", "--to", hosts.url()}, target));
    assertThat(moved.exitCode()).as(moved.stderr()).isZero();
    assertThat(moved.stdout()).contains("copying agent main").contains("set store.url");

    // A host that uses the database sees the same credentials, and status names the store.
    ClawauthProcess db = hosts.host("b", "{}");
    var status = db.run("models", "status", "--json");
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    JsonNode auth = JSON.readTree(status.stdout()).path("auth");
    assertThat(auth.path("storeKind").asText()).isEqualTo("postgres");
    assertThat(auth.path("storePath").asText()).contains(hosts.url()).contains("schema " + hosts.schema)
        .doesNotContain(hosts.cluster.password());
    assertThat(db.run("models", "status").stdout()).contains("PostgreSQL, shared by gateway hosts")
        .contains("anthropic:a").contains("anthropic:b");
    var again = files.run(concat(new String[] {"store", "migrate", "--to", hosts.url()}, target));
    assertThat(again.stdout()).contains("unchanged agent main");

    // And back into the files of a third host: the same document, field for field.
    var back = hosts.host("c", "{}").run("store", "migrate", "--to", "file");
    assertThat(back.exitCode()).as(back.stderr()).isZero();
    assertThat(back.stdout()).contains("copying agent main").contains("remove store.url");
    Path copied = hosts.state("c").resolve("agents/main/agent/auth-profiles.json");
    assertThat(JSON.readTree(Files.readString(copied))).isEqualTo(JSON.readTree(original));

    String all = dry.stdout() + dry.stderr() + moved.stdout() + moved.stderr() + status.stdout() + back.stdout();
    assertThat(all).doesNotContain(TestSecrets.get("ANTHROPIC_KEY")).doesNotContain(hosts.cluster.password())
        .doesNotContain(TestSecrets.get("STORE_KEY"));
  }

  @Test
  void aDifferentTargetIsReplacedOnlyWithForce() throws Exception {
    PgHosts hosts = new PgHosts(tmp);
    ClawauthProcess files = hosts.filesHost("a", "{}");
    hosts.writeFile("a", "main", store(TestSecrets.get("ANTHROPIC_KEY"), TestSecrets.get("ANTHROPIC_KEY_2")));
    String[] target = {"--schema", hosts.schema, "--key-file", "store.key"};
    assertThat(files.run(concat(new String[] {"store", "migrate", "--to", hosts.url()}, target)).exitCode()).isZero();
    hosts.writeFile("a", "main", store(TestSecrets.get("ANTHROPIC_KEY_2"), TestSecrets.get("ANTHROPIC_KEY")));
    var refused = files.run(concat(new String[] {"store", "migrate", "--to", hosts.url()}, target));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr().strip()).startsWith("Error: agent main already has different credentials")
        .contains("--force").doesNotContain("\n");
    assertThat(files.run(concat(new String[] {"store", "migrate", "--to", hosts.url(), "--force"}, target)).exitCode())
        .isZero();
  }

  @Test
  void aSchemaNewerThanThisBuildIsRefusedInOneLine() throws Exception {
    PgHosts hosts = new PgHosts(tmp);
    ClawauthProcess files = hosts.filesHost("a", "{}");
    hosts.writeFile("a", "main", store(TestSecrets.get("ANTHROPIC_KEY"), TestSecrets.get("ANTHROPIC_KEY_2")));
    var moved = files.run("store", "migrate", "--to", hosts.url(), "--schema", hosts.schema, "--key-file", "store.key");
    assertThat(moved.exitCode()).as(moved.stderr()).isZero();
    // A later Clawauth's migration, as Flyway would have recorded it.
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", dev.clawauth.testing.PgCluster.USER);
    p.setProperty("password", hosts.cluster.password());
    try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + hosts.cluster.port() + "/postgres", p);
        var st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + hosts.schema + ".flyway_schema_history (installed_rank, version, description,"
          + " type, script, checksum, installed_by, execution_time, success)"
          + " VALUES (99, '2', 'later', 'SQL', 'V2__later.sql', 1, 'clawauth', 0, true)");
    }
    var status = hosts.host("b", "{}").run("models", "status");
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.stderr().strip()).startsWith("Error: the database's schema " + hosts.schema
        + " is at version 2, newer than this Clawauth knows (1); upgrade Clawauth on this host").doesNotContain("\n");
  }

  @Test
  void anUnreachableDatabaseIsOneLineNamingItsAddressWithoutThePassword() throws Exception {
    PgHosts hosts = new PgHosts(tmp);
    ClawauthProcess db = hosts.host("a", "{}");
    Files.writeString(hosts.state("a").resolve("clawauth.json"), "{ store: { url: 'postgresql://clawauth@127.0.0.1:1/x',"
        + " keyFile: 'store.key', connectTimeoutMs: 500 } }");
    var status = db.run("models", "status");
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.stderr().strip()).startsWith("Error: the PostgreSQL store at postgresql://clawauth@127.0.0.1:1/x"
        + " cannot be reached").doesNotContain("\n").doesNotContain("--verbose")
        .doesNotContain(hosts.cluster.password());
    var doctor = db.run("doctor");
    assertThat(doctor.exitCode()).isEqualTo(1);
    assertThat(doctor.stdout()).contains("postgresql://clawauth@127.0.0.1:1/x cannot be reached")
        .contains("start the database");
    var paste = db.runWithInput(TestSecrets.get("ANTHROPIC_KEY") + "\n", "models", "auth", "paste-api-key",
        "--provider", "anthropic");
    assertThat(paste.exitCode()).isEqualTo(1);
    assertThat(paste.stderr()).contains("postgresql://clawauth@127.0.0.1:1/x").doesNotContain(TestSecrets.get("ANTHROPIC_KEY"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
