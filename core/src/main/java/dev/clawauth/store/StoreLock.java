package dev.clawauth.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
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
  private final ScheduledFuture<?> touch;
  private boolean closed;

  private StoreLock(Path lockDir, ReentrantLock local, ScheduledFuture<?> touch) {
    this.lockDir = lockDir;
    this.local = local;
    this.touch = touch;
  }

  /** Takes the lock on {@code target}, waiting at most 60 s, with the stale time {@link #stale()}. */
  public static StoreLock acquire(Path target) throws IOException {
    return acquire(target, Duration.ofSeconds(60), stale());
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
          Files.createDirectory(lockDir);
          break;
        } catch (FileAlreadyExistsException busy) {
          if (removeIfStale(lockDir, stale)) {
            continue;
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
      long period = Math.max(1, stale.toMillis() / 2);
      ScheduledFuture<?> touch = TOUCHER.scheduleAtFixedRate(() -> {
        try {
          Files.setLastModifiedTime(lockDir, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
          // The lock was taken from us as stale; the write that follows is still atomic.
        }
      }, period, period, TimeUnit.MILLISECONDS);
      return new StoreLock(lockDir, local, touch);
    } catch (InterruptedException e) {
      local.unlock();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + lockDir, e);
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  private static boolean removeIfStale(Path lockDir, Duration stale) throws IOException {
    try {
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(lockDir).toMillis();
      if (age <= stale.toMillis()) {
        return false;
      }
      Files.deleteIfExists(lockDir);
      return true;
    } catch (NoSuchFileException gone) {
      return true;
    } catch (DirectoryNotEmptyException odd) {
      throw new IOException(lockDir + " is a stale lock that is not empty; remove it by hand", odd);
    }
  }

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
      if (touch != null) {
        touch.cancel(false);
        Files.deleteIfExists(lockDir);
      }
    } finally {
      local.unlock();
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
