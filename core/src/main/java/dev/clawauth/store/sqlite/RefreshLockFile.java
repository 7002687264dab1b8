package dev.clawauth.store.sqlite;

import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.CredentialStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OpenClaw 2026.9's per-profile OAuth refresh lock, so that it and Clawauth never refresh one
 * profile at the same time: the file {@code <state>/locks/oauth-refresh/lock-<digest>.lock},
 * created with O_EXCL and holding {@code {pid, createdAt, starttime}}. A holder whose process is
 * gone (no such pid, or a pid whose start time differs: reused) is taken over through the same
 * {@code .reclaim} guard directory OpenClaw uses; an empty or unreadable file is someone creating
 * it and is waited for, never taken. Release removes the file only while it holds what this
 * holder wrote.
 */
public final class RefreshLockFile implements CredentialStore.RefreshLock {
  /** How long a lock file without a pid may stand before it is taken for abandoned (OpenClaw's 180 s). */
  static final Duration STALE_WITHOUT_PID = Duration.ofMinutes(3);
  /** OpenClaw gives up after 20 retries of up to 10 s; a refresh of ours is shorter than that. */
  static final Duration WAIT = Duration.ofSeconds(150);

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final ReentrantLock local;
  private final byte[] written;
  private boolean closed;

  private RefreshLockFile(Path file, ReentrantLock local, byte[] written) {
    this.file = file;
    this.local = local;
    this.written = written;
  }

  /** Where OpenClaw locks the refresh of {@code profileId} of {@code provider}. */
  public static Path path(Path stateDir, String provider, String profileId) {
    var pair = Json.NODES.arrayNode().add(provider).add(profileId);
    String key = JsonText.compact(pair);
    return stateDir.resolve("locks").resolve("oauth-refresh").resolve("lock-" + digest(key) + ".lock");
  }

  /** OpenClaw's two-lane 64-bit FNV-1a digest of the UTF-8 bytes, as 32 hex digits. */
  static String digest(String value) {
    long left = 0xcbf29ce484222325L;
    long right = 0x9ae16a3b2f90404fL;
    final long prime = 0x100000001b3L;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      long octet = b & 0xff;
      left = (left ^ octet) * prime;
      right = (right ^ (octet + 0x9e3779b97f4a7c15L)) * prime;
    }
    return String.format("%016x%016x", left, right);
  }

  public static RefreshLockFile acquire(Path stateDir, String provider, String profileId) throws IOException {
    return acquire(path(stateDir, provider, profileId), WAIT);
  }

  static RefreshLockFile acquire(Path file, Duration timeout) throws IOException {
    ReentrantLock local = LOCAL.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock(true));
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!local.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw contention(file, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + file, e);
    }
    if (local.getHoldCount() > 1) {
      // This thread holds it already (a refresh inside a refresh): the file is ours.
      return new RefreshLockFile(file, local, null);
    }
    try {
      AtomicFiles.createPrivateDirectories(file.getParent());
      byte[] payload = payload();
      long wait = 100;
      while (true) {
        if (!Files.exists(reclaimGuard(file), LinkOption.NOFOLLOW_LINKS) && create(file, payload)) {
          return new RefreshLockFile(file, local, payload);
        }
        if (reclaimIfAbandoned(file)) {
          continue;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw contention(file, timeout);
        }
        Thread.sleep(Math.min(left, (long) (wait * (1 + ThreadLocalRandom.current().nextDouble()))));
        wait = Math.min(wait * 2, 10_000);
      }
    } catch (InterruptedException e) {
      local.unlock();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + file, e);
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  private static IOException contention(Path file, Duration timeout) {
    return new IOException("another process kept refreshing this profile for more than " + timeout.toSeconds()
        + " s (lock " + file + "); try again later");
  }

  private static boolean create(Path file, byte[] payload) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
        PosixFilePermissions.asFileAttribute(AtomicFiles.FILE_MODE))) {
      ByteBuffer buf = ByteBuffer.wrap(payload);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      return true;
    } catch (FileAlreadyExistsException held) {
      return false;
    }
  }

  /**
   * {@code JSON.stringify({pid, createdAt, starttime}, null, 2)}, a newline, and a line of random
   * white space that makes each holder's bytes its own (OpenClaw releases by comparing them).
   */
  private static byte[] payload() {
    StringBuilder json = new StringBuilder("{\n  \"pid\": ").append(ProcessHandle.current().pid())
        .append(",\n  \"createdAt\": \"").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
        .append('"');
    ProcStat.startTime(ProcessHandle.current().pid())
        .ifPresent(t -> json.append(",\n  \"starttime\": ").append(t));
    json.append("\n}\n\t\t\t\t\t\t\t\t");
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    for (byte b : token) {
      for (int bit = 7; bit >= 0; bit--) {
        json.append(((b >> bit) & 1) == 1 ? '\t' : ' ');
      }
    }
    return json.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Path reclaimGuard(Path file) {
    return file.resolveSibling(file.getFileName() + ".reclaim");
  }

  /**
   * Takes over a lock whose holder is gone, as OpenClaw does: under the {@code .reclaim} guard,
   * and only while the file still holds the bytes that were judged. Returns whether it removed it.
   */
  private static boolean reclaimIfAbandoned(Path file) throws IOException {
    byte[] seen;
    try {
      seen = Files.readAllBytes(file);
    } catch (NoSuchFileException gone) {
      return true;
    }
    if (!abandoned(seen)) {
      return false;
    }
    Path guard = reclaimGuard(file);
    try {
      Files.createDirectory(guard);
    } catch (FileAlreadyExistsException busy) {
      return false;
    }
    try {
      byte[] now;
      try {
        now = Files.readAllBytes(file);
      } catch (NoSuchFileException gone) {
        return true;
      }
      if (!Arrays.equals(now, seen)) {
        return false;
      }
      Files.deleteIfExists(file);
      return true;
    } finally {
      try {
        Files.deleteIfExists(guard);
      } catch (DirectoryNotEmptyException odd) {
        // Not a guard of ours or OpenClaw's; leave it for a person to look at.
      }
    }
  }

  /** OpenClaw's rule: the pid is gone or reused; or there is no pid and the file is older than 180 s. */
  static boolean abandoned(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return false;
    }
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = Json.parseStrict(Path.of("lock"), text);
    } catch (JsonFileException notYetWritten) {
      return false;
    }
    if (n.path("pid").isIntegralNumber() && n.path("pid").asLong() > 0) {
      long pid = n.path("pid").asLong();
      var handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().isAlive()) {
        return true;
      }
      if (n.path("starttime").isIntegralNumber()) {
        OptionalLong actual = ProcStat.startTime(pid);
        return actual.isPresent() && actual.getAsLong() != n.path("starttime").asLong();
      }
      return false;
    }
    try {
      Instant created = Instant.parse(n.path("createdAt").asText(""));
      return created.plus(STALE_WITHOUT_PID).isBefore(Instant.now());
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (written == null) {
      local.unlock();
      return;
    }
    try {
      byte[] now = Files.readAllBytes(file);
      if (Arrays.equals(now, written)) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException taken) {
      // Reclaimed by someone who judged us gone: nothing of ours is left to remove.
    } finally {
      local.unlock();
    }
  }
}
