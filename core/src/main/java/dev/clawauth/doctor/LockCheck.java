package dev.clawauth.doctor;

import dev.clawauth.hints.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code <file>.lock} directory older than the lock's stale limit (30 s) was left by a process
 * that died while holding it; a live holder refreshes its mtime every 15 s.
 */
final class LockCheck {
  private LockCheck() {}

  static Path lockDirOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  static void check(Path file, String agentId, long now, List<Finding> out) {
    Path lock = lockDirOf(file);
    if (!Files.isDirectory(lock, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    long age;
    try {
      age = now - Files.getLastModifiedTime(lock).toMillis();
    } catch (IOException gone) {
      return;
    }
    if (age <= Doctor.staleMillis()) {
      return;
    }
    out.add(new Finding("stale-lock", Severity.WARNING, Section.STATE, agentId, lock,
        "lock " + lock + " was left behind " + Durations.remaining(age) + " ago",
        "a process died while holding it; the next write waits for it to be taken as stale, and"
            + " older OpenClaw versions may wait for it or fail",
        "rmdir " + ShellQuote.of(lock) + " (when no clawauth or openclaw process is running), or"
            + " `clawauth doctor --fix`",
        new Repair.RemoveStaleLock(lock)));
  }
}
