package dev.clawauth.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cross-process lock on a file, by the protocol of the npm package {@code proper-lockfile} that
 * OpenClaw uses, so the two programs exclude each other: the lock is a directory
 * {@code <file>.lock} made by an atomic mkdir, its mtime is refreshed every {@code stale/2} while
 * held, and a lock older than {@code stale} (30 s) is taken for abandoned and removed.
 *
 * <p>A JVM-wide {@link ReentrantLock} per path sits in front of the directory, because threads of
 * one process must queue among themselves before they contend with other processes.
 */
public final class StoreLock implements AutoCloseable {

  /** OpenClaw's {@code stale} option. */
  public static final Duration STALE = Duration.ofSeconds(30);

  /**
   * System property that shortens {@link #STALE} for {@link #acquire(Path)}, in milliseconds. For
   * tests only (crash tests that leave hundreds of abandoned locks behind); a value that is not a
   * positive number is ignored. Never set it where OpenClaw shares the store: its holders refresh
   * their lock every 15 s, so a shorter stale time would take their live locks.
   */
  public static final String STALE_PROPERTY = "clawauth.lock.staleMillis";

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService TOUCHER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "clawauth-lock-touch");
    t.setDaemon(true);
    return t;
  });

  private final Path lockDir;
  private final ReentrantLock local;
  /** The directory this holder made (its file key), null on re-entry. */
  private final Object made;
  /**
   * Its birth time, and the mtime this holder last gave it: with the file key they tell our
   * directory from a new holder's, which the file system may give the same inode number. (Where
   * the JDK cannot read a birth time it reports the mtime, and the stamp alone decides.)
   */
  private final FileTime born;
  private volatile FileTime stamp;
  private ScheduledFuture<?> touching;
  private boolean closed;

  private StoreLock(Path lockDir, ReentrantLock local, BasicFileAttributes made) {
    this.lockDir = lockDir;
    this.local = local;
    this.made = made == null ? null : made.fileKey();
    this.born = made == null ? null : made.creationTime();
    this.stamp = made == null ? null : made.lastModifiedTime();
  }

  /** Takes the lock on {@code target}, waiting at most 60 s, with the stale time {@link #stale()}. */
  public static StoreLock acquire(Path target) throws IOException {
    return acquire(target, Duration.ofSeconds(60), stale());
  }

  /**
   * Runs {@code body} holding the lock on {@code target} (taken as {@link #acquire(Path)} does), and
   * releases the lock however the body ends.
   */
  // The lock is held, never used: "try" warns that the body does not reference it.
  @SuppressWarnings("try")
  public static <T, E extends Exception> T holding(Path target, LockedBody<T, E> body) throws IOException, E {
    try (StoreLock lock = acquire(target)) {
      return body.run();
    }
  }

  /** {@link #STALE}, unless the {@link #STALE_PROPERTY} test knob is set. */
  public static Duration stale() {
    String v = System.getProperty(STALE_PROPERTY);
    if (v != null) {
      try {
        long ms = Long.parseLong(v.trim());
        if (ms > 0) {
          return Duration.ofMillis(ms);
        }
      } catch (NumberFormatException ignored) {
        // Not a number: keep the real value.
      }
    }
    return STALE;
  }

  /**
   * Takes the lock on {@code target}, waiting at most {@code timeout}.
   *
   * @throws LockTimeoutException when another holder keeps it longer than {@code timeout}
   */
  public static StoreLock acquire(Path target, Duration timeout, Duration stale) throws IOException {
    Path lockDir = target.resolveSibling(target.getFileName() + ".lock").toAbsolutePath().normalize();
    ReentrantLock local = LOCAL.computeIfAbsent(lockDir, k -> new ReentrantLock(true));
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!local.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new LockTimeoutException(lockDir, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + lockDir, e);
    }
    if (local.getHoldCount() > 1) {
      // Re-entry from the same thread: the directory is already ours.
      return new StoreLock(lockDir, local, null);
    }
    try {
      long wait = 25;
      while (true) {
        try {
          Files.createDirectory(lockDir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(AtomicFiles.DIR_MODE));
          break;
        } catch (FileAlreadyExistsException busy) {
          try {
            if (removeIfStale(lockDir, stale) != StaleRemoval.LIVE) {
              continue;
            }
          } catch (DirectoryNotEmptyException odd) {
            throw new IOException(lockDir + " is a stale lock that is not empty; remove it by hand", odd);
          }
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            throw new LockTimeoutException(lockDir, timeout);
          }
          long sleep = Math.min(left, (long) (wait * (1 + ThreadLocalRandom.current().nextDouble())));
          Thread.sleep(sleep);
          wait = Math.min(wait * 2, 1000);
        } catch (NoSuchFileException parentMissing) {
          Files.createDirectories(lockDir.getParent());
        }
      }
      BasicFileAttributes made;
      try {
        made = Files.readAttributes(lockDir, BasicFileAttributes.class);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(lockDir);
        throw e;
      }
      StoreLock lock = new StoreLock(lockDir, local, made);
      long period = Math.max(1, stale.toMillis() / 2);
      lock.touching = TOUCHER.scheduleAtFixedRate(lock::touch, period, period, TimeUnit.MILLISECONDS);
      return lock;
    } catch (InterruptedException e) {
      local.unlock();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + lockDir, e);
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  /** What {@link #removeIfStale} found. */
  public enum StaleRemoval {
    /** It was stale and is removed. */
    REMOVED,
    /** It was gone already. */
    GONE,
    /** It is held: fresh, or taken afresh while we looked. */
    LIVE
  }

  /**
   * Removes an abandoned lock. The lock is first renamed aside and judged again there, because
   * between judging it by path and removing it by path another process may have removed it and
   * taken the lock afresh: removing by path would then take a live lock, and two processes would
   * write. A lock found fresh after the rename is put back.
   *
   * @throws DirectoryNotEmptyException when the stale directory holds files: not a lock of this
   *     protocol; it is left where it was
   */
  public static StaleRemoval removeIfStale(Path lockDir, Duration stale) throws IOException {
    try {
      BasicFileAttributes seen = Files.readAttributes(lockDir, BasicFileAttributes.class);
      if (!isStale(seen, stale)) {
        return StaleRemoval.LIVE;
      }
      beforeStaleRemoval.run();
      Path aside = lockDir.resolveSibling(lockDir.getFileName() + ".stale-" + ProcessHandle.current().pid()
          + "-" + System.nanoTime());
      Files.move(lockDir, aside, StandardCopyOption.ATOMIC_MOVE);
      BasicFileAttributes moved = Files.readAttributes(aside, BasicFileAttributes.class);
      if (isStale(moved, stale) && Objects.equals(moved.fileKey(), seen.fileKey())) {
        try {
          Files.delete(aside);
          return StaleRemoval.REMOVED;
        } catch (DirectoryNotEmptyException odd) {
          putBack(aside, lockDir);
          throw new DirectoryNotEmptyException(lockDir.toString());
        }
      }
      // Someone took the lock between our look and the rename: it is theirs, give it back.
      putBack(aside, lockDir);
      return StaleRemoval.LIVE;
    } catch (NoSuchFileException gone) {
      return StaleRemoval.GONE;
    }
  }

  private static void putBack(Path aside, Path lockDir) throws IOException {
    try {
      Files.move(aside, lockDir);
    } catch (FileAlreadyExistsException third) {
      // A third process made a new lock meanwhile; the one we moved is lost to its holder, who
      // sees that when it releases (its directory is no longer the one at the path).
      Files.deleteIfExists(aside);
    }
  }

  private static boolean isStale(BasicFileAttributes a, Duration stale) {
    return System.currentTimeMillis() - a.lastModifiedTime().toMillis() > stale.toMillis();
  }

  /** Runs between judging a lock stale and removing it; tests put the other process's move there. */
  static volatile Runnable beforeStaleRemoval = () -> { };

  public Path lockDir() {
    return lockDir;
  }

  /** Releases the lock; closing it again does nothing. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (made != null) {
        touching.cancel(false);
        releaseIfOurs();
      }
    } finally {
      local.unlock();
    }
  }

  /**
   * Removes the lock directory only if it is still the one this holder made: a holder that stalled
   * past {@code stale} may find its lock taken, and removing the new holder's would let a third in.
   */
  private void releaseIfOurs() throws IOException {
    if (ours()) {
      Files.deleteIfExists(lockDir);
    }
  }

  /** Keeps our lock from looking stale; a lock that is no longer ours is left alone. */
  private void touch() {
    try {
      if (ours()) {
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        Files.setLastModifiedTime(lockDir, now);
        stamp = now;
      }
    } catch (IOException ignored) {
      // Taken from us as stale; the write that follows is still atomic.
    }
  }

  private boolean ours() throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(lockDir, BasicFileAttributes.class);
      return Objects.equals(a.fileKey(), made)
          && (a.creationTime().equals(born) || a.lastModifiedTime().equals(stamp));
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /** The lock stayed held by someone else for longer than the caller would wait. */
  public static final class LockTimeoutException extends IOException {
    LockTimeoutException(Path lockDir, Duration timeout) {
      super(lockDir + " is held by another process for more than " + timeout.toSeconds()
          + " s. If no clawauth or openclaw process is running, remove that directory.");
    }
  }
}
