package dev.clawauth.gateway;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.json.JsonFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The config file as the running gateway uses it. Edits (by hand, by {@code openclaw config set},
 * by {@code clawauth onboard}) apply within {@link #CHECK_MS}, as OpenClaw's own gateway reloads
 * its config. A file that no longer parses is reported once and the last good config stays in use;
 * the file is never written.
 */
final class ConfigWatch {
  /** How often the file is looked at, by a timer: a look per request would cost every request. */
  static final long CHECK_MS = 500;

  private record Seen(Object fileKey, long size, long mtime) {
    static Seen of(BasicFileAttributes a) {
      return a == null ? new Seen(null, -1, 0) : new Seen(a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
    }
  }

  private final Path path;
  private final PrintStream log;
  private volatile ClawConfig current;
  private Seen seen;
  /** The change last reported as broken, so that it is reported once. */
  private Seen reportedBroken;

  ConfigWatch(ClawConfig loaded, PrintStream log) throws IOException {
    this.path = loaded.path();
    this.log = log;
    this.current = loaded;
    this.seen = Seen.of(attributes());
  }

  /** The config as last read. */
  ClawConfig current() {
    return current;
  }

  /** Looks at the file and re-reads it if it changed; the gateway's timer calls this every {@link #CHECK_MS}. */
  synchronized ClawConfig checkNow() {
    try {
      Seen s = Seen.of(attributes());
      if (!s.equals(seen)) {
        reload(s);
      }
    } catch (IOException e) {
      log.println("gateway: could not look at " + path + ": " + e.getMessage() + "; using the config read before");
    }
    return current;
  }

  private void reload(Seen s) throws IOException {
    try {
      ClawConfig fresh = ClawConfig.load(path);
      // A write that lands between the stat and the read is seen again at the next check.
      seen = s;
      current = fresh;
      reportedBroken = null;
      log.println("gateway: " + path + " changed; using it from now on (gateway.* settings apply at the next start)");
    } catch (JsonFileException broken) {
      seen = s;
      if (!Objects.equals(reportedBroken, s)) {
        reportedBroken = s;
        log.println("gateway: " + broken.getMessage() + "; still using the config read before. Fix the file; "
            + "it is read again when it changes.");
      }
    }
  }

  private BasicFileAttributes attributes() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException gone) {
      return null;
    }
  }
}
