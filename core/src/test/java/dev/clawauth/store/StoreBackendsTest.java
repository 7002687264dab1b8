package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.AgentContext;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Cooldowns;
import dev.clawauth.select.FailureReason;
import dev.clawauth.testing.OpenClawDb;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every store operation, run against each backend: the documents' auth-profiles.json and
 * OpenClaw 2026.9's SQLite store (a state directory whose {@code state/openclaw.sqlite} says the
 * shared store is there, as one OpenClaw made). What one agent writes is read back the same way.
 */
class StoreBackendsTest {
  static final long NOW = 1_800_000_000_000L;

  @TempDir
  Path root;

  StateFixture state(StoreKind kind) throws Exception {
    StateFixture f = new StateFixture(root);
    if (kind == StoreKind.SQLITE) {
      OpenClawDb.sharedDb(f.state);
    }
    return f;
  }

  static Credential.ApiKey key(String name) {
    return new Credential.ApiKey("anthropic", new Secret(TestSecrets.get(name)), null);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void theStateDirectoryTellsTheBackend(StoreKind kind) throws Exception {
    AgentContext ctx = state(kind).open(NOW);
    assertThat(ctx.store().kind()).isEqualTo(kind);
    assertThat(ctx.era().evidence()).isNotBlank();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void profilesAreWrittenUpdatedAndRemoved(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    AgentContext ctx = f.open(NOW);
    ctx.store().update(doc -> {
      doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
      doc.putProfile("anthropic:b", key("ANTHROPIC_KEY_2"));
      return null;
    });
    assertThat(f.open(NOW).store().read().profiles()).containsOnlyKeys("anthropic:a", "anthropic:b");
    ctx.store().update(doc -> {
      doc.updateProfile("anthropic:a", new Credential.ApiKey("anthropic", new Secret(TestSecrets.get("ANTHROPIC_KEY")),
          "a@example.invalid"));
      return null;
    });
    assertThat(f.open(NOW).store().read().profile("anthropic:a").orElseThrow().email()).isEqualTo("a@example.invalid");
    boolean removed = ctx.store().update(doc -> doc.removeProfile("anthropic:b"));
    assertThat(removed).isTrue();
    assertThat(f.open(NOW).store().read().profiles()).containsOnlyKeys("anthropic:a");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void ordersAreSetAndClearedAndRemovalDropsTheirEntries(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    AgentContext ctx = f.open(NOW);
    ctx.store().update(doc -> {
      doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
      doc.putProfile("anthropic:b", key("ANTHROPIC_KEY_2"));
      doc.setOrder("anthropic", List.of("anthropic:b", "anthropic:a"));
      return null;
    });
    assertThat(f.open(NOW).store().read().order("anthropic")).contains(List.of("anthropic:b", "anthropic:a"));
    ctx.store().update(doc -> doc.removeProfile("anthropic:b"));
    assertThat(f.open(NOW).store().read().order("anthropic")).contains(List.of("anthropic:a"));
    ctx.store().update(doc -> doc.clearOrder("anthropic"));
    assertThat(f.open(NOW).store().read().order("anthropic")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void usageStatsAndCooldownsSurviveARead(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    AgentContext ctx = f.open(NOW);
    Cooldowns cooldowns = new Cooldowns(ctx.config().cooldowns());
    long until = ctx.store().update(doc -> {
      doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
      doc.putProfile("anthropic:b", key("ANTHROPIC_KEY_2"));
      cooldowns.recordSuccess(doc, "anthropic", "anthropic:a", NOW);
      return cooldowns.recordFailure(doc, "anthropic", "anthropic:b", FailureReason.RATE_LIMIT, NOW);
    });
    StoreDocument doc = f.open(NOW).store().read();
    assertThat(doc.usage("anthropic:a").lastUsed()).isEqualTo(NOW);
    assertThat(doc.lastGood("anthropic")).contains("anthropic:a");
    assertThat(doc.usage("anthropic:b").cooldownUntil()).isEqualTo(until).isGreaterThan(NOW);
    assertThat(doc.usage("anthropic:b").failureCounts()).containsEntry("rate_limit", 1);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void agentsAreIsolated(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    f.open("work", NOW).store().update(doc -> {
      doc.putProfile("anthropic:work", key("ANTHROPIC_KEY_2"));
      return null;
    });
    assertThat(f.open("work", NOW).store().read().profiles()).containsKey("anthropic:work");
    assertThat(f.open(NOW).store().read().profiles()).doesNotContainKey("anthropic:work");
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void anUnchangedUpdateWritesNothingAndAWriteChangesTheStamp(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    CredentialStore store = f.open(NOW).store();
    store.update(doc -> {
      doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
      return null;
    });
    Object stamp = store.changeStamp();
    assertThat(store.changeStamp()).isEqualTo(stamp);
    store.update(doc -> null);
    assertThat(store.changeStamp()).as("a no-op update writes nothing").isEqualTo(stamp);
    f.open(NOW).store().update(doc -> {
      doc.setLastGood("anthropic", "anthropic:a");
      doc.putProfile("anthropic:c", key("ANTHROPIC_KEY_2"));
      return null;
    });
    assertThat(store.changeStamp()).as("another writer's commit").isNotEqualTo(stamp);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void concurrentWritersLoseNothing(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            // A context per write, as separate commands would open it.
            String id = "anthropic:t" + thread + "-" + i;
            f.open(NOW).store().update(doc -> {
              doc.putProfile(id, key("ANTHROPIC_KEY"));
              return null;
            });
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(f.open(NOW).store().read().profiles()).hasSize(80);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void anUnreadableStoreIsNamedAndNeverOverwritten(StoreKind kind) throws Exception {
    StateFixture f = state(kind);
    Path file;
    if (kind == StoreKind.FILE) {
      file = f.writeStore("main", "{\"version\":1,\"profiles\":{\"a\": }");
    } else {
      file = f.state.resolve("state/openclaw.sqlite");
      OpenClawDb.setRow(file, "authProfiles.store", "{\"version\":1,\"profiles\":{\"a\": }");
    }
    byte[] before = Files.readAllBytes(file);
    AgentContext ctx = f.open(NOW);
    assertThatThrownBy(() -> ctx.store().read()).isInstanceOf(JsonFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining(":1:");
    assertThatThrownBy(() -> ctx.store().update(doc -> {
      doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
      return null;
    })).isInstanceOf(JsonFileException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }
}
