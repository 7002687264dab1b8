package dev.clawauth.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Secret files must be 0600 and the directories holding them 0700, as OpenClaw writes them. */
final class PermissionCheck {
  private PermissionCheck() {}

  private static final Set<PosixFilePermission> OPEN = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /** Checks {@code path} when it exists; the kind (file or directory) is taken from the disk. */
  static void check(Path path, String agentId, String role, List<Finding> out) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    boolean dir = Files.isDirectory(path);
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException | IOException noPosix) {
      return;
    }
    Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
    loose.addAll(perms);
    loose.retainAll(OPEN);
    if (loose.isEmpty()) {
      return;
    }
    String mode = octal(perms);
    String want = dir ? "700" : "600";
    boolean readable = perms.contains(PosixFilePermission.OTHERS_READ)
        || perms.contains(PosixFilePermission.GROUP_READ);
    out.add(new Finding("loose-permissions", dir ? Severity.WARNING : Severity.ERROR, Section.STATE,
        agentId, path,
        role + " " + path + " has mode " + mode + " (should be 0" + want + ")",
        dir ? "other users on this machine can list or enter it and reach the credentials inside"
            : readable ? "other users on this machine can read the credentials in it"
                : "other users on this machine can change it",
        "chmod " + want + " " + ShellQuote.of(path),
        new Repair.Chmod(path, dir)));
  }

  /** Every directory and regular file under {@code root}, a few levels deep, without following links. */
  static void checkTree(Path root, String role, List<Finding> out) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root, 3)) {
      walk.filter(p -> !Files.isSymbolicLink(p))
          .forEach(p -> check(p, null, Files.isDirectory(p) ? role + " directory" : role + " file", out));
    } catch (IOException | java.io.UncheckedIOException unreadable) {
      // An unreadable directory is reported through its own mode; nothing more to say here.
    }
  }

  static String octal(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= bit(p);
    }
    return String.format("%04o", m);
  }

  private static int bit(PosixFilePermission p) {
    return switch (p) {
      case OWNER_READ -> 0400;
      case OWNER_WRITE -> 0200;
      case OWNER_EXECUTE -> 0100;
      case GROUP_READ -> 040;
      case GROUP_WRITE -> 020;
      case GROUP_EXECUTE -> 010;
      case OTHERS_READ -> 04;
      case OTHERS_WRITE -> 02;
      case OTHERS_EXECUTE -> 01;
    };
  }

  static Set<PosixFilePermission> wanted(boolean dir) {
    return PosixFilePermissions.fromString(dir ? "rwx------" : "rw-------");
  }
}
