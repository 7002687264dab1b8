package dev.clawauth.store.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.store.FileStore;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock on the file level, as OpenClaw's {@code proper-lockfile} sees it: a directory next to
 * the store, refreshed while held, removed on release, taken over after 30 s of silence, and
 * respected across processes in both directions.
 */
class StoreLockProcessTest {
  @TempDir
  Path tmp;

  Path store;

  @BeforeEach
  void emptyStore() throws Exception {
    assertThat(System.getProperty(StoreLock.STALE_PROPERTY)).as("these tests need the real stale time").isNull();
    store = tmp.resolve("agents/main/agent/auth-profiles.json");
    Files.createDirectories(store.getParent());
    Files.writeString(store, "{\n  \"version\": 1,\n  \"profiles\": {}\n}\n");
  }

  @Test
  void aLeftoverLockOlderThan30sIsTakenOverAtOnce() throws Exception {
    Path lock = StoreFiles.lockDir(store);
    Files.createDirectory(lock);
    Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - 31_000));

    long t0 = System.nanoTime();
    new FileStore(store).update(doc -> {
      doc.putProfile("anthropic:after-crash", apiKey());
      return null;
    });
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    // No back-off at all is needed for a stale lock; 5 s leaves room for a slow machine.
    assertThat(ms).as("ms to take over a 31 s old lock").isLessThan(5_000);
    assertThat(StoreFiles.profileIds(store)).containsExactly("anthropic:after-crash");
    assertThat(lock).doesNotExist();
  }

  @Test
  void aLockYoungerThan30sIsNotTakenOver() throws Exception {
    Path lock = StoreFiles.lockDir(store);
    Files.createDirectory(lock);
    Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - 20_000));

    assertThatThrownBy(() -> StoreLock.acquire(store, Duration.ofMillis(800), StoreLock.stale()))
        .isInstanceOf(StoreLock.LockTimeoutException.class)
        .hasMessageContaining(lock.toString());
    assertThat(lock).isDirectory();
  }

  @Test
  void aLockHeldByAnotherProcessBlocksUntilReleased() throws Exception {
    try (ChildJvm holder = ChildJvm.start(List.of(), "hold", store.toString())) {
      holder.await("locked", 60_000);
      assertThat(StoreFiles.lockDir(store)).isDirectory();

      CompletableFuture<Void> update = CompletableFuture.runAsync(() -> {
        try {
          new FileStore(store).update(doc -> {
            doc.putProfile("anthropic:waited", apiKey());
            return null;
          });
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(1_500);
      assertThat(update).as("update while another process holds the lock").isNotDone();
      assertThat(StoreFiles.profileIds(store)).isEmpty();

      holder.send("release");
      holder.await("released", 30_000);
      update.get(30, TimeUnit.SECONDS);
      assertThat(StoreFiles.profileIds(store)).containsExactly("anthropic:waited");
      assertThat(StoreFiles.lockDir(store)).doesNotExist();
    }
  }

  @Test
  void anotherProcessWaitsWhileWeHoldTheLock() throws Exception {
    try (StoreLock held = StoreLock.acquire(store);
         ChildJvm other = ChildJvm.start(List.of(), "hold", store.toString())) {
      // The child is up and trying; it must not get the lock while we have it.
      Thread.sleep(2_000);
      assertThat(other.output()).doesNotContain("locked " + held.lockDir());
      held.close();
      other.await("locked", 30_000);
      other.send("release");
      other.await("released", 30_000);
    }
    assertThat(StoreFiles.lockDir(store)).doesNotExist();
  }

  @Test
  void whileHeldTheLockIsADirectoryWhoseMtimeIsRefreshedAndReleaseRemovesIt() throws Exception {
    Duration stale = Duration.ofSeconds(2);
    Path lock = StoreFiles.lockDir(store);
    try (StoreLock held = StoreLock.acquire(store, Duration.ofSeconds(5), stale)) {
      assertThat(held.lockDir()).isEqualTo(lock.toAbsolutePath().normalize());
      assertThat(lock).isDirectory();
      assertThat(lock).isEmptyDirectory();

      // Age it by hand; the holder touches it every stale/2 = 1 s, so it comes back to now.
      long old = System.currentTimeMillis() - 60_000;
      Files.setLastModifiedTime(lock, FileTime.fromMillis(old));
      long deadline = System.currentTimeMillis() + 5_000;
      while (Files.getLastModifiedTime(lock).toMillis() == old && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis();
      assertThat(age).as("ms since the lock's mtime was refreshed").isBetween(-1_000L, stale.toMillis());
    }
    assertThat(lock).doesNotExist();
    assertThat(store).exists();
  }

  private static Credential apiKey() {
    return new Credential.ApiKey("anthropic", new Secret("sk-ant-api03-FAKE-lock-test-key-000000"), null);
  }
}
