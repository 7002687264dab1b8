package dev.clawauth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard input is a terminal, the question that decides between prompting and reading a pipe. */
final class Tty {
  private Tty() {}

  static boolean stdinIsTerminal() {
    // Linux: /proc tells for stdin alone; System.console() would need stdout to be a terminal too.
    Path fd0 = Path.of("/proc/self/fd/0");
    if (Files.exists(Path.of("/proc/self/fd"))) {
      try {
        String target = Files.readSymbolicLink(fd0).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null;
  }
}
