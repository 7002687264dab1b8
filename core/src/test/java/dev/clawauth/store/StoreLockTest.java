package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stale-lock rules, at the moments where two processes can meet. */
class StoreLockTest {
  private static final Duration STALE = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  Path target;
  Path lockDir;

  @BeforeEach
  void store() throws IOException {
    target = Files.writeString(dir.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{}}\n");
    lockDir = dir.resolve("auth-profiles.json.lock");
  }

  @AfterEach
  void noHook() {
    StoreLock.beforeStaleRemoval = () -> { };
  }

  @Test
  void anAbandonedLockIsRemovedAndTakenLeavingNothingBeside() throws IOException {
    abandonedLock();
    try (StoreLock lock = StoreLock.acquire(target, Duration.ofSeconds(2), STALE)) {
      assertThat(lockDir).isDirectory();
      assertThat(ageMillis(lockDir)).isLessThan(5_000);
    }
    assertThat(lockDir).doesNotExist();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void aLockTakenAfreshWhileJudgedStaleStaysWithItsNewHolder() throws IOException {
    abandonedLock();
    // Another process removes the abandoned lock and takes its own between our look and our removal.
    StoreLock.beforeStaleRemoval = () -> {
      try {
        Files.delete(lockDir);
        Files.createDirectory(lockDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        StoreLock.beforeStaleRemoval = () -> { };
      }
    };
    assertThatThrownBy(() -> StoreLock.acquire(target, Duration.ofMillis(400), STALE))
        .isInstanceOf(StoreLock.LockTimeoutException.class);
    assertThat(lockDir).isDirectory();
    assertThat(ageMillis(lockDir)).isLessThan(5_000);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactlyInAnyOrder(target, lockDir);
    }
  }

  @Test
  void aHolderWhoseLockWasTakenAsStaleLeavesTheNewHoldersLockInPlace() throws IOException {
    StoreLock stalled = StoreLock.acquire(target, Duration.ofSeconds(2), STALE);
    // It stalled past the stale time: another process removed its lock and holds a new one.
    Files.delete(lockDir);
    Files.createDirectory(lockDir);
    Object theirs = Files.readAttributes(lockDir, BasicFileAttributes.class).fileKey();
    stalled.close();
    assertThat(lockDir).isDirectory();
    assertThat(Files.readAttributes(lockDir, BasicFileAttributes.class).fileKey()).isEqualTo(theirs);
  }

  @Test
  void aStaleLockThatIsNotEmptyIsNamedAndLeftWhereItWas() throws IOException {
    abandonedLock();
    Files.writeString(lockDir.resolve("note"), "not a proper-lockfile lock");
    Files.setLastModifiedTime(lockDir, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    assertThatThrownBy(() -> StoreLock.acquire(target, Duration.ofSeconds(2), STALE))
        .hasMessageContaining(lockDir.toString()).hasMessageContaining("remove it by hand");
    assertThat(lockDir.resolve("note")).exists();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactlyInAnyOrder(target, lockDir);
    }
  }

  private void abandonedLock() throws IOException {
    Files.createDirectory(lockDir);
    Files.setLastModifiedTime(lockDir, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
  }

  private static long ageMillis(Path p) throws IOException {
    return System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis();
  }
}
