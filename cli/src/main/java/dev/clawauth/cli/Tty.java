package dev.clawauth.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard input (and output) is a terminal, the question that decides between prompting and reading a pipe. */
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
    return console() != null;
  }

  /** The console when stdin and stdout are a terminal; null when either is redirected. */
  // JDK 21 (the release built for) answers null when redirected; JDK 22+ is asked isTerminal().
  @SuppressWarnings("SystemConsoleNull")
  static Console console() {
    Console c = System.console();
    if (c == null) {
      return null;
    }
    try {
      // JDK 22+ returns a console even when redirected; isTerminal() tells the truth there.
      return (boolean) Console.class.getMethod("isTerminal").invoke(c) ? c : null;
    } catch (ReflectiveOperationException jdk21) {
      return c;
    }
  }
}
