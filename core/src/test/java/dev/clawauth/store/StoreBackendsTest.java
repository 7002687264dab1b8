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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every store operation, run against each backend: the documents' auth-profiles.json and
 * OpenClaw 2026.9's SQLite store (a state directory whose {@code state/openclaw.sqlite} says the
 * shared store is there, as one OpenClaw made); store-postgres runs it again against PostgreSQL.
 * What one agent writes is read back the same way.
 */
public class StoreBackendsTest {
  protected static final long NOW = 1_800_000_000_000L;

  @TempDir
  Path root;

  /** One backend under test: how a state directory that uses it is made, and how it is broken. */
  public interface Backend {
    StoreKind kind();

    StateFixture state(Path root) throws Exception;

    /** Makes agent main's stored credentials unparsable, in a way another program could. */
    Corruption corrupt(StateFixture f) throws Exception;
  }

  /**
   * @param error what reading must throw
   * @param named what its message must name
   * @param contents the stored bytes, which no write may change afterwards
   */
  public record Corruption(Class<? extends Exception> error, List<String> named, Callable<Object> contents) {}

  /** The backends this class runs against; a subclass for another backend declares its own. */
  static Stream<Backend> backends() {
    return Stream.of(new Local(StoreKind.FILE), new Local(StoreKind.SQLITE));
  }

  private record Local(StoreKind kind) implements Backend {
    @Override
    public StateFixture state(Path root) throws Exception {
      StateFixture f = new StateFixture(root);
      if (kind == StoreKind.SQLITE) {
        OpenClawDb.sharedDb(f.state);
      }
      return f;
    }

    @Override
    public Corruption corrupt(StateFixture f) throws Exception {
      Path file;
      if (kind == StoreKind.FILE) {
        file = f.writeStore("main", "{\"version\":1,\"profiles\":{\"a\": }");
      } else {
        file = f.state.resolve("state/openclaw.sqlite");
        OpenClawDb.setRow(file, "authProfiles.store", "{\"version\":1,\"profiles\":{\"a\": }");
      }
      return new Corruption(JsonFileException.class, List.of(file.toString(), ":1:"),
          () -> java.util.HexFormat.of().formatHex(Files.readAllBytes(file)));
    }

    @Override
    public String toString() {
      return kind.name();
    }
  }

  StateFixture state(Backend backend) throws Exception {
    return backend.state(root);
  }

  protected static Credential.ApiKey key(String name) {
    return new Credential.ApiKey("anthropic", new Secret(TestSecrets.get(name)), null);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theStateDirectoryTellsTheBackend(Backend backend) throws Exception {
    AgentContext ctx = state(backend).open(NOW);
    assertThat(ctx.store().kind()).isEqualTo(backend.kind());
    assertThat(ctx.era().evidence()).isNotBlank();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void profilesAreWrittenUpdatedAndRemoved(Backend backend) throws Exception {
    StateFixture f = state(backend);
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
  @MethodSource("backends")
  void ordersAreSetAndClearedAndRemovalDropsTheirEntries(Backend backend) throws Exception {
    StateFixture f = state(backend);
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
  @MethodSource("backends")
  void usageStatsAndCooldownsSurviveARead(Backend backend) throws Exception {
    StateFixture f = state(backend);
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
  @MethodSource("backends")
  void agentsAreIsolated(Backend backend) throws Exception {
    StateFixture f = state(backend);
    f.open("work", NOW).store().update(doc -> {
      doc.putProfile("anthropic:work", key("ANTHROPIC_KEY_2"));
      return null;
    });
    assertThat(f.open("work", NOW).store().read().profiles()).containsKey("anthropic:work");
    assertThat(f.open(NOW).store().read().profiles()).doesNotContainKey("anthropic:work");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anUnchangedUpdateWritesNothingAndAWriteChangesTheStamp(Backend backend) throws Exception {
    StateFixture f = state(backend);
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
  @MethodSource("backends")
  void concurrentWritersLoseNothing(Backend backend) throws Exception {
    StateFixture f = state(backend);
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
  @MethodSource("backends")
  void anUnreadableStoreIsNamedAndNeverOverwritten(Backend backend) throws Exception {
    StateFixture f = state(backend);
    Corruption broken = backend.corrupt(f);
    Object before = broken.contents().call();
    AgentContext ctx = f.open(NOW);
    var thrown = assertThatThrownBy(() -> ctx.store().read()).isInstanceOf(broken.error());
    broken.named().forEach(thrown::hasMessageContaining);
    assertThatThrownBy(() -> ctx.store().update(doc -> {
      doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
      return null;
    })).isInstanceOf(broken.error());
    assertThat(broken.contents().call()).isEqualTo(before);
  }
}
