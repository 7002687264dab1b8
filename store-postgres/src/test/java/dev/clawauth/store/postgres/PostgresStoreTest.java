package dev.clawauth.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.json.Json;
import dev.clawauth.store.Credential;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreKind;
import dev.clawauth.store.StoreUnavailableException;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.Await;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the PostgreSQL store promises: sealed secrets, key rotation, hosts that see each other, outages. */
class PostgresStoreTest {
  static final long NOW = 1_800_000_000_000L;

  @TempDir
  Path root;

  private static Object stamp(CredentialStore s) {
    try {
      return s.changeStamp();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String dump(PgTestDb db) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String t : new String[] {"clawauth_agents", "clawauth_profiles", "clawauth_usage"}) {
        try (ResultSet r = s.executeQuery("SELECT t::text, encode(convert_to(t::text, 'UTF8'), 'escape') FROM " + t + " t")) {
          while (r.next()) {
            b.append(r.getString(1)).append('\n');
          }
        }
      }
    }
    return b.toString();
  }

  @Test
  void aDumpOfTheDatabaseHoldsNoSecretAndEveryFieldReadsBackInPlace() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    StateFixture f = db.state(root);
    CredentialStore store = f.open(NOW).store();
    assertThat(store.kind()).isEqualTo(StoreKind.POSTGRES);
    ObjectNode unknown = Json.object();
    store.update(doc -> {
      doc.putProfile("anthropic:key", new Credential.ApiKey("anthropic", new Secret(TestSecrets.get("ANTHROPIC_KEY")), null));
      doc.putProfile("anthropic:token", new Credential.Token("anthropic", new Secret(TestSecrets.get("ANTHROPIC_TOKEN")),
          NOW + 86_400_000L, "t@example.invalid"));
      doc.putProfile("anthropic:oauth", new Credential.OAuth("anthropic", new Secret(TestSecrets.get("OAUTH_ACCESS")),
          new Secret(TestSecrets.get("OAUTH_REFRESH")), NOW + 3_600_000L, null, null, null));
      doc.usageNode("anthropic:key").put("futureField", "kept");
      return null;
    });
    // A field this version does not know, written by a newer one, survives a round trip.
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE clawauth_agents SET doc = '{\"version\":1,\"profiles\":null,\"x-newer\":{\"a\":1}}'");
    }
    String dumped = dump(db);
    for (String name : new String[] {"ANTHROPIC_KEY", "ANTHROPIC_TOKEN", "OAUTH_ACCESS", "OAUTH_REFRESH"}) {
      assertThat(dumped).as("the dump holds no %s", name).doesNotContain(TestSecrets.get(name));
    }
    assertThat(dumped).contains("t@example.invalid").contains("futureField");
    StoreDocument doc = f.open(NOW).store().read();
    assertThat(doc.profiles()).containsOnlyKeys("anthropic:key", "anthropic:token", "anthropic:oauth");
    assertThat(doc.profiles().keySet()).containsExactly("anthropic:key", "anthropic:token", "anthropic:oauth");
    assertThat(((Credential.OAuth) doc.profile("anthropic:oauth").orElseThrow()).refresh().value())
        .isEqualTo(TestSecrets.get("OAUTH_REFRESH"));
    // Compared as trees without secrets: a failure message must not print one.
    assertThat(doc.treeCopy().get("x-newer")).hasToString("{\"a\":1}");
    assertThat(doc.usageNode("anthropic:key").get("futureField").asText()).isEqualTo("kept");
    store.update(doc2 -> {
      doc2.setLastGood("anthropic", "anthropic:key");
      return null;
    });
    assertThat(f.open(NOW).store().read().treeCopy().get("x-newer")).hasToString("{\"a\":1}");
  }

  @Test
  void rotatingTheKeyReSealsEverySecretInPlace() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    StateFixture f = db.state(root);
    f.open(NOW).store().update(doc -> {
      doc.putProfile("anthropic:a", new Credential.ApiKey("anthropic", new Secret(TestSecrets.get("ANTHROPIC_KEY")), null));
      return null;
    });
    f.open("work", NOW).store().update(doc -> {
      doc.putProfile("anthropic:w", new Credential.ApiKey("anthropic", new Secret(TestSecrets.get("ANTHROPIC_KEY_2")), null));
      return null;
    });
    String oldSealed = sealedOf(db, "anthropic:a");
    Files.writeString(f.state.resolve("store.key.new"), TestSecrets.get("STORE_KEY_2"));
    Files.writeString(f.state.resolve("clawauth.json"), "{ store: { url: \"" + db.cluster.url() + "\", schema: \""
        + db.schema + "\", keyFile: \"store.key.new\", previousKeyFiles: [\"store.key\"] } }");
    AgentContext rotated = f.open(NOW);
    assertThat(rotated.store().read().profiles()).containsKey("anthropic:a");
    PostgresSettings settings = PostgresSettings.from(rotated.era().settings().orElseThrow(), rotated.paths());
    StoreAdmin.Rekeyed r = StoreAdmin.rekey(settings);
    assertThat(r).isEqualTo(new StoreAdmin.Rekeyed(2, 2, 0));
    assertThat(sealedOf(db, "anthropic:a")).isNotEqualTo(oldSealed);
    // The old key is no longer needed.
    Files.writeString(f.state.resolve("clawauth.json"), db.settingsJson("store.key.new"));
    assertThat(((Credential.ApiKey) f.open("work", NOW).store().read().profile("anthropic:w").orElseThrow()).key().value())
        .isEqualTo(TestSecrets.get("ANTHROPIC_KEY_2"));
    // And a host left with only the old key is told which key it lacks, not given garbage.
    Files.writeString(f.state.resolve("clawauth.json"), db.settingsJson("store.key"));
    assertThatThrownBy(() -> f.open(NOW).store().read()).hasMessageContaining("does not hold")
        .hasMessageContaining("previousKeyFiles");
  }

  private static String sealedOf(PgTestDb db, String id) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT encode(sealed, 'hex') FROM clawauth_profiles WHERE profile_id = '" + id + "'")) {
      r.next();
      return r.getString(1);
    }
  }

  /** A second host: its own pool and listener (another address of the same server). */
  private static CredentialStore otherHost(PgTestDb db, StateFixture f, String agent) throws Exception {
    AgentContext ctx = f.open(agent, NOW);
    ObjectNode block = (ObjectNode) ctx.era().settings().orElseThrow().deepCopy();
    block.put("url", db.cluster.url() + "?ApplicationName=other-host");
    return PostgresBackend.open(PostgresSettings.from(block, ctx.paths()), agent == null ? "main" : agent);
  }

  @Test
  void aWriteOnOneHostChangesTheOtherHostsStampAndView() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    StateFixture f = db.state(root);
    CredentialStore a = f.open(NOW).store();
    CredentialStore b = otherHost(db, f, null);
    a.update(doc -> {
      doc.putProfile("anthropic:a", new Credential.ApiKey("anthropic", new Secret(TestSecrets.get("ANTHROPIC_KEY")), null));
      return null;
    });
    Object seen = stamp(b);
    Await.until("host B starts listening", Duration.ofSeconds(10), () -> b.unavailable().isEmpty() && !stamp(b).equals(0L));
    seen = stamp(b);
    a.update(doc -> {
      doc.usageNode("anthropic:a").put("cooldownUntil", NOW + 60_000);
      return null;
    });
    Object before = seen;
    Await.until("host B hears of host A's write", Duration.ofSeconds(5), () -> !stamp(b).equals(before));
    assertThat(b.read().usage("anthropic:a").cooldownUntil()).isEqualTo(NOW + 60_000);
  }

  @Test
  void aRefreshLockExcludesEveryOtherHolderUntilClosed() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    StateFixture f = db.state(root);
    CredentialStore a = f.open(NOW).store();
    CredentialStore b = otherHost(db, f, "work");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch taken = new CountDownLatch(1);
      Future<?> second;
      try (CredentialStore.RefreshLock held = a.lockRefresh("anthropic", "anthropic:oauth")) {
        second = pool.submit(() -> {
          try (CredentialStore.RefreshLock l = b.lockRefresh("Anthropic", "anthropic:oauth")) {
            taken.countDown();
          }
          return null;
        });
        assertThat(taken.await(500, TimeUnit.MILLISECONDS)).as("taken while held elsewhere").isFalse();
      }
      assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
      second.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void whileTheServerIsDownCallsFailAtOnceNamingItAndTheStoreCatchesUpAfter() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    StateFixture f = db.state(root);
    CredentialStore store = f.open(NOW).store();
    store.update(doc -> {
      doc.putProfile("anthropic:a", new Credential.ApiKey("anthropic", new Secret(TestSecrets.get("ANTHROPIC_KEY")), null));
      return null;
    });
    Await.until("listening", Duration.ofSeconds(10), () -> store.unavailable().isEmpty() && !stamp(store).equals(0L));
    db.cluster.stop();
    try {
      Await.until("the store says it is unreachable", Duration.ofSeconds(10), () -> store.unavailable().isPresent());
      assertThat(store.unavailable().orElseThrow()).contains("127.0.0.1:" + db.cluster.port())
          .doesNotContain(db.cluster.password());
      long t0 = System.nanoTime();
      assertThatThrownBy(store::read).isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("postgresql://clawauth@127.0.0.1:" + db.cluster.port())
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(db.cluster.password()));
      assertThatThrownBy(() -> store.update(doc -> null)).isInstanceOf(StoreUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      // The stamp is answered from memory, without waiting.
      long t1 = System.nanoTime();
      stamp(store);
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofMillis(50));
    } finally {
      db.cluster.start();
    }
    Await.until(() -> "the store is reachable again (" + store.unavailable() + ")", Duration.ofSeconds(15),
        () -> store.unavailable().isEmpty());
    Object stamp = stamp(store);
    otherHost(db, f, null).update(doc -> {
      doc.setLastGood("anthropic", "anthropic:a");
      return null;
    });
    Await.until("the stamp catches up", Duration.ofSeconds(5), () -> !stamp(store).equals(stamp));
    assertThat(store.read().lastGood("anthropic")).contains("anthropic:a");
  }

  @Test
  void aPasswordInTheUrlIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> PgUrl.parse("postgresql://u:" + TestSecrets.get("PG_PASSWORD") + "@db/x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestSecrets.get("PG_PASSWORD")));
    assertThatThrownBy(() -> PgUrl.parse("postgresql://u@db/x?sslmode=require&password=" + TestSecrets.get("PG_PASSWORD")))
        .hasMessageContaining("holds a password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TestSecrets.get("PG_PASSWORD")));
    String pw = TestSecrets.get("PG_PASSWORD");
    for (String url : new String[] {"host=db password=" + pw, "jdbc:postgresql://db/x?user=u&password=" + pw,
        "postgresql://u@db/x?sslpassword=" + pw, "postgresql:///x?password=" + pw, "postgresql://:" + pw + "@/x"}) {
      assertThatThrownBy(() -> PgUrl.parse(url)).as(url.replace(pw, "<password>"))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pw));
    }
    assertThat(PgUrl.parse("postgresql://clawauth@db.internal/pool?sslmode=require"))
        .isEqualTo(new PgUrl("clawauth", "db.internal", 5432, "pool", "sslmode=require"));
  }

  @Test
  void aWrongPasswordIsReportedWithTheAddressOnly() throws Exception {
    PgTestDb db = PgTestDb.fresh();
    StateFixture f = db.state(root);
    f.set("CLAWAUTH_STORE_PASSWORD", "not-" + db.cluster.password());
    Files.writeString(f.state.resolve("clawauth.json"), "{ store: { url: \"" + db.cluster.url()
        + "?ApplicationName=wrong-password\", schema: \"" + db.schema + "\", keyFile: \"store.key\" } }");
    assertThatThrownBy(() -> f.open(NOW).store().read()).hasMessageContaining("127.0.0.1:" + db.cluster.port())
        .hasMessageContaining("password authentication failed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(db.cluster.password()));
  }
}
