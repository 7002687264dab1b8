package dev.clawauth.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's start time as Linux tells it, which with the pid names one process across pid reuse. */
final class ProcStat {
  private ProcStat() {}

  /**
   * Field 22 of {@code /proc/<pid>/stat} (clock ticks since boot), read after the last ')' since the
   * command name may hold spaces and parentheses; empty where there is no {@code /proc}.
   */
  static OptionalLong startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] rest = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+", -1);
      return rest.length > 19 ? OptionalLong.of(Long.parseLong(rest[19])) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
