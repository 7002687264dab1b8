package dev.clawauth.store.sqlite;

import dev.clawauth.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.sqlite.util.OSInfo;

/**
 * Points the SQLite driver at a copy of its native library in the user's cache, made once: left
 * to itself the driver unpacks it into a fresh temporary file on every start, which costs a CLI
 * run about 300 ms here. The cached copy is compared with the one in the jar before each use, so
 * a stale or altered file is never loaded; anything that goes wrong leaves the driver's own way.
 */
final class SqliteNative {
  private SqliteNative() {}

  private static volatile boolean prepared;

  static void prepare() {
    if (prepared) {
      return;
    }
    synchronized (SqliteNative.class) {
      if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
        prepared = true;
        return;
      }
      try {
        String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
        String name = System.mapLibraryName("sqlitejdbc");
        if (name.endsWith(".dylib") || name.endsWith(".jnilib")) {
          name = "libsqlitejdbc.dylib";
        }
        byte[] lib;
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
          if (in == null) {
            return;
          }
          lib = in.readAllBytes();
        }
        Path dir = cacheRoot().resolve("sqlite-jdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion())
            .resolve(folder.replace('/', '-'));
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !Arrays.equals(Files.readAllBytes(file), lib)) {
          AtomicFiles.createPrivateDirectories(dir);
          Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp",
              PosixFilePermissions.asFileAttribute(AtomicFiles.FILE_MODE));
          try {
            Files.write(tmp, lib);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }
        System.setProperty("org.sqlite.lib.path", dir.toString());
        System.setProperty("org.sqlite.lib.name", name);
      } catch (IOException | RuntimeException e) {
        // No cache to be had (read-only home, odd platform): the driver unpacks its own copy.
      } finally {
        prepared = true;
      }
    }
  }

  /** {@code $XDG_CACHE_HOME/clawauth}, else {@code $HOME/.cache/clawauth}. */
  private static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "clawauth");
    }
    String home = System.getenv("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "clawauth");
  }
}
