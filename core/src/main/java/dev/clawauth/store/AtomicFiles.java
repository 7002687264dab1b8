package dev.clawauth.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Whole-file replacement that a reader never sees half done: temp file, fsync, rename, fsync dir. */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  /** Writes {@code text} to {@code target} atomically, mode 0600; missing directories are made 0700. */
  public static void write(Path target, String text) throws IOException {
    write(target, text, null);
  }

  /** What a writer checks of the text it is about to put in place; throws to keep the old file. */
  @FunctionalInterface
  public interface Check {
    void verify(String text) throws IOException;
  }

  /** The check for every JSON file Clawauth writes: strict JSON, and no larger than it reads. */
  public static Check strictJson(Path target) {
    return text -> {
      if (text.length() > MAX_FILE_BYTES) {
        throw new IOException("refusing to write " + target + ": it would hold more than "
            + (MAX_FILE_BYTES >> 20) + " MiB; nothing was changed");
      }
      try {
        dev.clawauth.json.Json.parseStrict(target, text);
      } catch (dev.clawauth.json.JsonFileException e) {
        throw new IOException("refusing to write " + target + ": what would be written does not parse ("
            + e.problem() + "); nothing was changed", e);
      }
    };
  }

  /**
   * {@link #write(Path, String)}, but {@code check} sees the text first: a writer re-reads what it
   * is about to rename into place, so no write can leave a file its readers reject.
   */
  public static void write(Path target, String text, Check check) throws IOException {
    if (check != null) {
      check.verify(text);
    }
    Path real = resolveLink(target);
    Path dir = real.toAbsolutePath().getParent();
    createPrivateDirectories(dir);
    Path tmp = Files.createTempFile(dir, tempPrefix(real), TEMP_SUFFIX,
        PosixFilePermissions.asFileAttribute(FILE_MODE));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // The umask can narrow but never widen the creation mode; set it again to be exact.
      Files.setPosixFilePermissions(tmp, FILE_MODE);
      try {
        Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + real + " atomically on this file system", e);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static final String TEMP_SUFFIX = ".tmp";

  private static String tempPrefix(Path real) {
    return "." + real.getFileName() + ".";
  }

  /**
   * Deletes temp files that {@link #write} left beside {@code target} when its process was killed
   * between creating and renaming them. Only safe while holding the lock that every writer of
   * {@code target} takes, since then no live writer owns one. Returns how many were removed.
   */
  public static int removeLeftovers(Path target) throws IOException {
    Path real = resolveLink(target);
    Path dir = real.toAbsolutePath().getParent();
    String prefix = tempPrefix(real);
    int removed = 0;
    try (var entries = Files.newDirectoryStream(dir, e -> {
      String n = e.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX) && n.length() > prefix.length() + TEMP_SUFFIX.length();
    })) {
      for (Path leftover : entries) {
        if (Files.deleteIfExists(leftover)) {
          removed++;
        }
      }
    } catch (java.nio.file.NoSuchFileException noDir) {
      return 0;
    }
    return removed;
  }

  /** A symlinked store stays a symlink: the file it points to is replaced, not the link. */
  private static Path resolveLink(Path target) throws IOException {
    Path p = target;
    for (int i = 0; i < 16 && Files.isSymbolicLink(p); i++) {
      Path link = Files.readSymbolicLink(p);
      p = p.toAbsolutePath().getParent().resolve(link);
    }
    return p;
  }

  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      return;
    }
    Files.setPosixFilePermissions(dir, DIR_MODE);
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
      // Directory fsync is a Linux durability nicety; the rename itself is already atomic.
    }
  }

  /**
   * The most a credential store, config or legacy file may hold. The largest real ones are a few
   * kilobytes; reading a huge one whole would end in an OutOfMemoryError instead of a message.
   */
  public static final long MAX_FILE_BYTES = 16L << 20;

  /**
   * Reads a whole text file: a regular file (a FIFO or a device would block or never end) of at
   * most {@link #MAX_FILE_BYTES}.
   */
  public static String read(Path file) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (java.nio.file.NoSuchFileException missing) {
      throw missing;
    }
    if (!a.isRegularFile()) {
      throw new FileSystemException(file.toString(), null, a.isDirectory() ? "is a directory, not a file"
          : "is not a regular file (a pipe, socket or device); move it aside");
    }
    if (a.size() > MAX_FILE_BYTES) {
      throw new FileSystemException(file.toString(), null, "is " + (a.size() >> 20) + " MiB; such files hold a"
          + " few kilobytes (at most " + (MAX_FILE_BYTES >> 20) + " MiB is read): move it aside");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new FileSystemException(file.toString(), null, "not UTF-8 text");
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      // Some read errors (EISDIR, EIO) come without the path; the user needs to know which file.
      FileSystemException named = new FileSystemException(file.toString(), null, e.getMessage());
      named.initCause(e);
      throw named;
    }
  }
}
