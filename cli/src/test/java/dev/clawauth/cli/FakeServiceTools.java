package dev.clawauth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Stand-ins for systemctl, journalctl, launchctl, id and crontab in a directory to put alone on
 * PATH: each appends its arguments to {@code calls.log}; {@code systemctl show} answers the
 * properties in {@code show.txt}, {@code journalctl} the lines in {@code journal.txt}, and
 * {@code crontab} keeps the table in {@code crontab.txt}. Only shell builtins and /bin/cat, so
 * nothing else on PATH is needed.
 */
final class FakeServiceTools {
  final Path bin;
  final Path calls;
  final Path show;
  final Path journal;
  final Path crontab;

  FakeServiceTools(Path dir) throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    calls = dir.resolve("calls.log");
    show = dir.resolve("show.txt");
    journal = dir.resolve("journal.txt");
    crontab = dir.resolve("crontab.txt");
  }

  FakeServiceTools systemctl() throws IOException {
    return script("systemctl", """
        case "$*" in
          *show-environment*) [ -f '%1$s.down' ] && { echo 'Failed to connect to bus: No medium found' >&2; exit 1; }
            echo HOME=/home/user; exit 0 ;;
          *" show "*) [ -f '%1$s' ] && /bin/cat '%1$s'; exit 0 ;;
        esac
        exit 0
        """.formatted(show));
  }

  /** systemctl is there, but its user manager is not (a container's systemd, WSL). */
  void userManagerDown() throws IOException {
    Files.writeString(Path.of(show + ".down"), "");
  }

  FakeServiceTools journalctl() throws IOException {
    return script("journalctl", "[ -f '%1$s' ] && /bin/cat '%1$s'\nexit 0\n".formatted(journal));
  }

  /** launchctl whose {@code print} answers {@code show.txt}, as {@code systemctl show} does. */
  FakeServiceTools launchctl() throws IOException {
    script("id", "echo 501\n");
    return script("launchctl", "[ \"$1\" = print ] && [ -f '%1$s' ] && /bin/cat '%1$s'\nexit 0\n".formatted(show));
  }

  FakeServiceTools crontab() throws IOException {
    return script("crontab", """
        case "$1" in
          -l) [ -f '%1$s' ] || { echo 'no crontab for user' >&2; exit 1; }; /bin/cat '%1$s' ;;
          -) /bin/cat > '%1$s' ;;
        esac
        """.formatted(crontab));
  }

  /**
   * A crontab that writes but cannot list, as when cron.allow or PAM refuses {@code -l}: the
   * table in {@code crontab.txt} is there all the same.
   */
  FakeServiceTools crontabThatCannotList() throws IOException {
    return script("crontab", """
        case "$1" in
          -l) echo 'You (user) are not allowed to use this program (crontab)' >&2; exit 1 ;;
          -) /bin/cat > '%1$s' ;;
        esac
        """.formatted(crontab));
  }

  List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  private FakeServiceTools script(String name, String body) throws IOException {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\nprintf '%s %s\\n' '" + name + "' \"$*\" >> '" + calls + "'\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return this;
  }
}
